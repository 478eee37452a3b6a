-- An upload request's database work keeps its plans.
--
-- POST /uploads (the benchmark's 0.32 of the bare endpoint's throughput, against a target of 0.5) spent most of its
-- time in Postgres, planning: pg_stat_user_functions (track_functions = all, the benchmark's dataset, a reused pending
-- take) and pgbench of the function's statements.
--
-- - private.session_question_limits() and private.my_session_upload_limit() were security-definer SQL functions. Such
--   a function is never inlined, and PostgreSQL plans its body again on every call: 146 µs and 291 µs of the 690 µs
--   that private.request_upload() took. As PL/pgSQL they keep their plans for the life of the connection, as the
--   other policy helpers do (20261126100000_roles_and_profiles); request_upload took 346 µs after. Same arguments,
--   same answers.
-- - The function then read the answer window with a statement of its own, which the simple protocol plans afresh
--   each time, RLS policies included: a quarter of the request's database time (three statements answered 1,200 a
--   second on one connection, two 1,740). private.request_upload_grant() answers the take and its window in one
--   call whose plans are kept; it reads the reveal as the caller, as that statement did.
--
-- Replaces: private.session_question_limits(uuid, uuid) (body of 20261203310000_accommodations) and
-- private.my_session_upload_limit(uuid) (body of 20261126120000_uploads). New: private.request_upload_grant().

-- =====================================================================================================================
-- helper functions
-- =====================================================================================================================

-- The limits that apply to one question in one session, accommodation included. Definer: the uploads function asks
-- as the candidate, who may not read every question row.
create or replace function private.session_question_limits(p_session_id uuid, p_question_id uuid)
returns table (think_time_seconds integer, answer_time_seconds integer, max_takes integer)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return query
    select ceil(q.think_time_seconds * coalesce(a.time_factor, 1))::integer + coalesce(a.extra_seconds, 0),
           ceil(q.answer_time_seconds * coalesce(a.time_factor, 1))::integer + coalesce(a.extra_seconds, 0),
           q.max_takes + coalesce(a.extra_takes, 0)
      from public.questions q
      left join public.session_accommodations a on a.session_id = p_session_id
     where q.id = p_question_id;
end
$$;

-- The size cap of a session's campaign, for its candidate (candidates cannot read campaigns).
create or replace function private.my_session_upload_limit(p_session_id uuid)
returns bigint
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return (
    select c.max_video_bytes
      from public.interview_sessions s
      join public.campaigns c on c.id = s.campaign_id
     where s.id = p_session_id and s.id = any (private.my_session_ids())
  );
end
$$;

-- What POST /uploads needs in one call: the pending take (private.request_upload(), created or reused) and the moment
-- its answer window closes, grace included, which bounds the signed URL's life. Invoker: every read is the caller's.
create function private.request_upload_grant(
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
  reused boolean,
  window_closes_at timestamptz
)
language plpgsql
set search_path = ''
as $$
begin
  return query
    select u.response_id, u.campaign_id, u.object_key, u.take_number, u.max_takes, u.max_video_bytes, u.reused,
           (select r.answer_closes_at + private.answer_grace() from public.question_reveals r
             where r.session_id = p_session_id and r.question_id = p_question_id)
      from private.request_upload(p_session_id, p_question_id, p_content_type, p_size_bytes, p_duration_seconds) u;
end
$$;

revoke all on function private.request_upload_grant(uuid, uuid, text, bigint, numeric) from public;
grant execute on function private.request_upload_grant(uuid, uuid, text, bigint, numeric) to authenticated;
