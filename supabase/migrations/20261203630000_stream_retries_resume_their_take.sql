-- A retried request for an upload while recording resumes its pending take, and the reuse lookup keeps its plan.
--
-- - private.request_upload() reused a pending take only when `size_bytes = p_size_bytes`. A take uploaded while
--   recording (method stream) declares no size, and null never equals null: every retry of a stream request (a lost
--   response, a reload) spent a new take of the candidate's few. The sizes now compare with `is not distinct from`:
--   a stream request finds the pending stream take (size null), a sized request a pending take of its size, and the
--   two never meet (only stream requests have no size).
-- - The lookup ran as the caller, through the RLS policies of video_responses, interview_sessions and
--   question_reveals, planned again on every call. private.my_reusable_take() reads the same rows as definer, limited
--   to the caller's own sessions by an explicit candidate_id test, with its plan kept for the connection: the
--   benchmark's POST /uploads (a retry of a pending take each time) spends less of its time in Postgres.
--
-- Replaces: private.request_upload() (body of 20261203310000_accommodations). New: private.my_reusable_take().

-- The newest pending take of the caller's that a request for this recording may reuse (the question still open to
-- answer, nothing submitted for it yet), or null. Definer, so its plan is kept; the candidate test is the policy.
create function private.my_reusable_take(
  p_session_id uuid,
  p_question_id uuid,
  p_content_type text,
  p_size_bytes bigint
)
returns public.video_responses
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v public.video_responses;
begin
  select v1.* into v from public.video_responses v1
    join public.interview_sessions s on s.id = v1.session_id
    join public.question_reveals r on r.session_id = v1.session_id and r.question_id = v1.question_id
   where v1.session_id = p_session_id and v1.question_id = p_question_id and v1.status = 'pending'
     and s.candidate_id = private.my_candidate_id()
     and v1.content_type = p_content_type and v1.size_bytes is not distinct from p_size_bytes
     and s.status = 'in_progress' and now() <= s.deadline
     and now() <= r.answer_closes_at + private.answer_grace()
     and not exists (select 1 from public.video_responses o
                      where o.session_id = v1.session_id and o.question_id = v1.question_id and o.is_submitted)
   order by v1.take_number desc
   limit 1;
  return v;
end
$$;

revoke all on function private.my_reusable_take(uuid, uuid, text, bigint) from public;
grant execute on function private.my_reusable_take(uuid, uuid, text, bigint) to authenticated;

create or replace function private.request_upload(
  p_session_id uuid,
  p_question_id uuid,
  p_content_type text,
  p_size_bytes bigint,
  p_duration_seconds numeric default null
)
returns table (
  response_id uuid,
  campaign_id uuid,
  object_key text,
  take_number integer,
  max_takes integer,
  max_video_bytes bigint,
  reused boolean
)
language plpgsql
set search_path = ''
as $$
declare
  v public.video_responses;
  is_reused boolean := false;
begin
  -- Two requests for the same recording at once (a client retrying while its first request is in flight) must not
  -- both insert: requests for one session take turns, for this transaction only.
  perform pg_advisory_xact_lock(hashtextextended('private.request_upload:' || p_session_id::text, 0));
  v := private.my_reusable_take(p_session_id, p_question_id, p_content_type, p_size_bytes);
  if v.id is not null then
    is_reused := true;
  else
    -- As the caller: the insert policy and the recording trigger decide whether a new take may be made.
    insert into public.video_responses (session_id, question_id, content_type, size_bytes, duration_seconds)
    values (p_session_id, p_question_id, p_content_type, p_size_bytes, p_duration_seconds)
    returning * into v;
  end if;
  return query
    select v.id, v.campaign_id, v.object_key, v.take_number, l.max_takes,
           private.my_session_upload_limit(v.session_id), is_reused
      from private.session_question_limits(v.session_id, v.question_id) l;
end
$$;
