-- A retried upload request (a pending take reused) is answered by one query, before any lock is taken.
--
-- private.request_upload_grant() always went the long way: the session's advisory lock, the reuse lookup
-- (private.my_reusable_take(), which looks the caller's candidate row up again), then for the take it found three more
-- lookups: the question's limits and the campaign's size cap (two definer calls) and the reveal (as the caller, through
-- the reveals' policy, which computes every session id of the caller). Measured with pgbench on the benchmark's
-- dataset (one connection, the claims statement sent with it): a reused take took 0.44-0.64 ms per call where the
-- claims and `select 1` take 0.13-0.22 ms; the single query below takes 0.31 ms.
--
-- private.my_reused_upload_grant() reads the same rows in one statement as definer, limited to the caller's own
-- sessions by interview_sessions.candidate_user_id = auth.uid() (what the candidates' policy of sessions tests), and
-- answers the grant's every column. Only when it finds nothing does request_upload_grant() take the long way, which
-- looks for a reusable take again under the lock before it inserts: two requests at once still never both insert.
-- Reading without the lock is safe: a take that is reusable now is one that the locked path would also reuse.
--
-- New: private.my_reused_upload_grant(). Replaces: private.request_upload_grant() (body of
-- 20261203620000_upload_requests_keep_their_plans).

create function private.my_reused_upload_grant(
  p_session_id uuid,
  p_question_id uuid,
  p_content_type text,
  p_size_bytes bigint
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
stable
security definer
set search_path = ''
as $$
begin
  -- The conditions are private.my_reusable_take()'s; the limits private.session_question_limits()' and
  -- private.my_session_upload_limit()'s. A plpgsql body, so that the plan is kept for the connection.
  return query
    select v.id, v.campaign_id, v.object_key, v.take_number, q.max_takes + coalesce(a.extra_takes, 0),
           c.max_video_bytes, true, r.answer_closes_at + private.answer_grace()
      from public.video_responses v
      join public.interview_sessions s on s.id = v.session_id
      join public.campaigns c on c.id = s.campaign_id
      join public.question_reveals r on r.session_id = v.session_id and r.question_id = v.question_id
      join public.questions q on q.id = v.question_id
      left join public.session_accommodations a on a.session_id = v.session_id
     where v.session_id = p_session_id and v.question_id = p_question_id and v.status = 'pending'
       and s.candidate_user_id = auth.uid()
       and v.content_type = p_content_type and v.size_bytes is not distinct from p_size_bytes
       and s.status = 'in_progress' and now() <= s.deadline
       and now() <= r.answer_closes_at + private.answer_grace()
       and not exists (select 1 from public.video_responses o
                        where o.session_id = v.session_id and o.question_id = v.question_id and o.is_submitted)
     order by v.take_number desc
     limit 1;
end
$$;

revoke all on function private.my_reused_upload_grant(uuid, uuid, text, bigint) from public;
grant execute on function private.my_reused_upload_grant(uuid, uuid, text, bigint) to authenticated;

create or replace function private.request_upload_grant(
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
    select * from private.my_reused_upload_grant(p_session_id, p_question_id, p_content_type, p_size_bytes);
  if found then
    return;
  end if;
  return query
    select u.response_id, u.campaign_id, u.object_key, u.take_number, u.max_takes, u.max_video_bytes, u.reused,
           (select r.answer_closes_at + private.answer_grace() from public.question_reveals r
             where r.session_id = p_session_id and r.question_id = p_question_id)
      from private.request_upload(p_session_id, p_question_id, p_content_type, p_size_bytes, p_duration_seconds) u;
end
$$;
