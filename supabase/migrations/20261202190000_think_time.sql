-- Think time means something: from a question's reveal until its answer_opens_at the candidate reads and thinks, and
-- may not record. No take of that question can be created before answer_opens_at (so no upload grant either), for
-- every writer: the uploads function, or a direct PostgREST insert. The answer window then runs from
-- answer_opens_at to answer_closes_at (plus private.answer_grace()).
--
-- Errors a caller sees (SQLSTATE, message):
--   PT409 think_time_not_over   a take asked for before the question's think time has passed (detail: when it opens)

create function private.enforce_think_time()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  opens_at timestamptz;
begin
  select r.answer_opens_at into opens_at from public.question_reveals r
   where r.session_id = new.session_id and r.question_id = new.question_id;
  if opens_at is not null and now() < opens_at then
    raise exception using errcode = 'PT409', message = 'think_time_not_over',
      detail = format('Recording opens at %s.', opens_at);
  end if;
  return new;
end
$$;

revoke all on function private.enforce_think_time() from public, anon, authenticated;

create trigger video_responses_enforce_think_time before insert on public.video_responses
  for each row execute function private.enforce_think_time();
