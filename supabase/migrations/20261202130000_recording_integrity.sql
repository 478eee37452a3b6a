-- Recording integrity at `complete`: the take must have reached the store inside its answer window, and the bytes
-- reviewers play back are the bytes that were verified.
--
-- The uploads function (service role) tells complete_response_upload when the store received the object (its HEAD
-- Last-Modified, or the moment the function completed a multipart upload) and where it copied the verified bytes:
--   * received after answer_closes_at + private.answer_grace(): refused (upload_too_late), whatever the caller;
--   * the verified copy lives under the take's own folder (so retention and erasure, which sweep the session's
--     folder, still find it), at a key no grant was ever signed for; object_key points there from now on;
--   * the upload key is queued for deletion as a folder-like entry (is_prefix), so that it is swept again until every
--     grant signed for it has expired: re-using an old grant after verification writes nothing a reviewer sees, and
--     what it writes is deleted;
--   * the duration the function read from the stored file replaces the client's duration_seconds (the analytics read
--     that column, so they count what was recorded).
--
-- Errors a caller sees (SQLSTATE, message):
--   PT409 upload_too_late         the store received the take after its answer window (plus grace) closed
--   22023 verified_key_invalid    the verified copy is not in the take's own folder

alter table public.video_deletions drop constraint video_deletions_reason_check;
alter table public.video_deletions add constraint video_deletions_reason_check
  check (reason in ('retention', 'erasure', 'account_erasure', 'verification_failed', 'superseded'));

drop function public.complete_response_upload(uuid, bigint);

-- Uploads function only (service role): the object of a pending take was checked (size, type, time); the take becomes
-- uploaded and is submitted. Idempotent for an uploaded take.
create function public.complete_response_upload(
  p_response_id uuid,
  p_size_bytes bigint default null,
  p_received_at timestamptz default now(),
  p_verified_key text default null,
  p_duration_seconds numeric default null
)
returns public.video_responses
language plpgsql
security definer
set search_path = ''
as $$
declare
  v public.video_responses;
  closes_at timestamptz;
  folder text;
begin
  select * into v from public.video_responses where id = p_response_id for update;
  if not found then
    raise exception using errcode = 'PT404', message = 'response_not_found';
  end if;
  if v.status = 'failed' then
    raise exception using errcode = 'PT409', message = 'response_failed';
  end if;
  if v.status = 'pending' then
    select r.answer_closes_at into closes_at from public.question_reveals r
     where r.session_id = v.session_id and r.question_id = v.question_id;
    if coalesce(p_received_at, now()) > closes_at + private.answer_grace() then
      raise exception using errcode = 'PT409', message = 'upload_too_late',
        detail = format('The answer window closed at %s; the video reached storage at %s.',
                        closes_at + private.answer_grace(), coalesce(p_received_at, now()));
    end if;
    folder := regexp_replace(v.object_key, '[^/]*$', '');
    if p_verified_key is not null and p_verified_key <> v.object_key
       and (left(p_verified_key, char_length(folder)) <> folder or position('/' in substr(p_verified_key, char_length(folder) + 1)) > 0
            or left(p_verified_key, char_length(v.object_key)) = v.object_key) then
      raise exception using errcode = '22023', message = 'verified_key_invalid';
    end if;
    if p_verified_key is not null and p_verified_key <> v.object_key then
      insert into public.video_deletions (object_key, is_prefix, reason, response_id, session_id, campaign_id)
      values (v.object_key, true, 'superseded', v.id, v.session_id, v.campaign_id);
    end if;
    update public.video_responses
       set status = 'uploaded', uploaded_at = coalesce(p_received_at, now()),
           size_bytes = coalesce(p_size_bytes, size_bytes), object_key = coalesce(p_verified_key, object_key),
           duration_seconds = coalesce(p_duration_seconds, duration_seconds)
     where id = p_response_id;
  end if;
  return private.submit_response(p_response_id);
end
$$;

revoke all on function public.complete_response_upload(uuid, bigint, timestamptz, text, numeric) from public, anon, authenticated;
grant execute on function public.complete_response_upload(uuid, bigint, timestamptz, text, numeric) to service_role;
