-- Concurrent upload requests of one session take turns.
--
-- private.request_upload reuses the pending take of a retried recording, but two identical requests arriving
-- together could both miss it and spend two takes. A transaction-scoped advisory lock per session serializes them
-- (the insert trigger locks the session row too, but only after the reuse check).

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
  -- Every table read here goes through RLS as the caller: their own session, reveals and takes only.
  select v1.* into v from public.video_responses v1
    join public.interview_sessions s on s.id = v1.session_id
    join public.question_reveals r on r.session_id = v1.session_id and r.question_id = v1.question_id
   where v1.session_id = p_session_id and v1.question_id = p_question_id and v1.status = 'pending'
     and v1.content_type = p_content_type and v1.size_bytes = p_size_bytes
     and s.status = 'in_progress' and now() <= s.deadline
     and now() <= r.answer_closes_at + private.answer_grace()
     and not exists (select 1 from public.video_responses o
                      where o.session_id = v1.session_id and o.question_id = v1.question_id and o.is_submitted)
   order by v1.take_number desc
   limit 1;
  if found then
    is_reused := true;
  else
    insert into public.video_responses (session_id, question_id, content_type, size_bytes, duration_seconds)
    values (p_session_id, p_question_id, p_content_type, p_size_bytes, p_duration_seconds)
    returning * into v;
  end if;
  return query
    select v.id, v.campaign_id, v.object_key, v.take_number, q.max_takes,
           private.my_session_upload_limit(v.session_id), is_reused
      from public.questions q
     where q.id = v.question_id;
end
$$;
