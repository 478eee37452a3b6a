-- The email outbox takes a session's lock before its email's, the order in which erasing a session takes them (the
-- session row, then its emails by the foreign key's cascade). Before, the sender locked an email row and then, through
-- private.sync_session_email_status, its session, so an owner erasing sessions while their invitations went out could
-- deadlock with the sender (40P01, seen when 50 fresh invitations were erased at once).
--
-- claim_email_outbox skips the emails whose session is locked (being erased or changed: the next run takes them);
-- finish_email_outbox waits for the session, and finds nothing to finish when the session, and so the email, is gone.

create or replace function private.claim_email_outbox(p_limit integer, p_ids uuid[] default null,
                                                      p_lease_seconds integer default 120)
returns setof private.email_outbox
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_due uuid[];
  v_sessions uuid[];
begin
  v_due := array(
    select o.id from private.email_outbox o
     where o.status = 'queued' and o.next_attempt_at <= now()
       and (o.locked_until is null or o.locked_until < now())
       and (p_ids is null or o.id = any (p_ids))
     order by o.next_attempt_at
     limit greatest(p_limit, 0));
  v_sessions := array(
    select s.id from public.interview_sessions s
     where s.id in (select o.session_id from private.email_outbox o where o.id = any (v_due))
     order by s.id
       for update of s skip locked);
  return query
    with due as (
      select o.id from private.email_outbox o
       where o.id = any (v_due)
         and o.status = 'queued' and (o.locked_until is null or o.locked_until < now())
         and (o.session_id is null or o.session_id = any (v_sessions))
       order by o.next_attempt_at
         for update skip locked
    )
    update private.email_outbox o
       set attempts = o.attempts + 1, claim_id = gen_random_uuid(), last_attempt_at = now(),
           locked_until = now() + make_interval(secs => p_lease_seconds)
      from due
     where o.id = due.id
    returning o.*;
end
$$;

create or replace function private.finish_email_outbox(
  p_id uuid,
  p_claim_id uuid,
  p_error text default null,
  p_permanent boolean default false,
  p_message_id text default null
)
returns text
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_status text;
begin
  perform 1 from public.interview_sessions s
   where s.id = (select o.session_id from private.email_outbox o where o.id = p_id)
     for update of s;
  update private.email_outbox o
     set status = case when p_error is null then 'sent'
                       when p_permanent or o.attempts >= o.max_attempts then 'failed'
                       else 'queued' end,
         sent_at = case when p_error is null then now() end,
         next_attempt_at = case when p_error is null then o.next_attempt_at
                                else now() + private.email_backoff(o.attempts) end,
         secret = case when p_error is not null and not p_permanent and o.attempts < o.max_attempts then o.secret end,
         last_error = left(p_error, 1000),
         message_id = coalesce(p_message_id, o.message_id),
         locked_until = null,
         claim_id = null
   where o.id = p_id and o.claim_id = p_claim_id and o.status = 'queued'
  returning o.status into v_status;
  return v_status;
end
$$;
