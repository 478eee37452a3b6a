-- Nothing lost at the deadline: a take granted before the session's deadline may still be recording or uploading
-- when the deadline passes. The expiry job leaves such a session in progress until that take's answer window (plus
-- grace) has closed, so its complete still submits it; the next run expires the session if it is still open.
-- (A take cannot be granted after the deadline: the recording rules refuse it, session_deadline_passed.)

create or replace function public.expire_overdue_sessions()
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  n integer;
begin
  update public.interview_sessions s set status = 'expired'
   where s.status in ('invited', 'in_progress') and s.deadline < now()
     and not exists (
       select 1 from public.video_responses v
         join public.question_reveals r on r.session_id = v.session_id and r.question_id = v.question_id
        where v.session_id = s.id and v.status = 'pending'
          and now() <= r.answer_closes_at + private.answer_grace());
  get diagnostics n = row_count;
  return n;
end
$$;
