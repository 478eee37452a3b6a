-- Takes deleted outside the uploads function (an owner deleting a session through PostgREST, a campaign or an
-- account cascading) still queue their videos for the retention run, once.
begin;
set local search_path = public, extensions, tests;
select plan(5);
select tests.create_interview_world();

create temp table takes on commit drop as
  select tests.answer_first_question('session_a', 'candidate_a') as id;
set local role postgres;
create temp table keys on commit drop as
  select object_key from video_responses where id = (select id from takes);
grant select on takes, keys to authenticated;

select tests.authenticate_as('owner');
select results_eq($$ delete from interview_sessions where id = tests.id('session_a') returning id $$,
  $$ select tests.id('session_a') $$, 'the owner deletes the session directly, as PostgREST lets them');
select results_eq(
  $$ select object_key, reason, requested_by, deleted_at is null from video_deletions
      where response_id = (select id from takes) $$,
  $$ select object_key, 'erasure', tests.id('owner'), true from keys $$,
  'its take''s video is queued for deletion, naming who deleted it');

set local role postgres;
select tests.authenticate_as('owner');
select is((select count(*)::integer from public.erase_session(tests.id('session_b'))), 1,
  'erase_session (no takes) records only the folder');
set local role postgres;
select is((select count(*)::integer from video_deletions where session_id = tests.id('session_b')), 1,
  'and the trigger adds nothing');

-- a whole campaign deleted: each take of each session is queued once
create temp table bad on commit drop as
  select tests.answer_first_question('stranger_session_b', 'candidate_b') as id;
set local role postgres;
delete from campaigns where id = tests.id('stranger_campaign');
select is((select count(*)::integer from video_deletions where response_id = (select id from bad)), 1,
  'a campaign deleted with its sessions queues each video once');

select * from finish();
rollback;
