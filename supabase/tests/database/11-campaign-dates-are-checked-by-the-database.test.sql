-- Date rules hold whoever writes: the start may not be in the past on creation, the end must follow the start.
-- Clients see SQLSTATE 23514 (HTTP 400) with a stable message.
begin;
set local search_path = public, extensions, tests;
select plan(12);
select tests.create_interview_world();

select tests.authenticate_as('owner');
select throws_ok(
  $$ insert into campaigns (title, start_date, end_date) values ('Past', now() - interval '1 second', now() + interval '1 day') $$,
  '23514', 'campaign_start_in_past', 'a campaign cannot start in the past');
select throws_ok(
  $$ insert into campaigns (title, start_date, end_date) values ('Reversed', now() + interval '2 days', now() + interval '1 day') $$,
  '23514', 'campaign_end_not_after_start', 'a campaign cannot end before it starts');
select throws_ok(
  $$ insert into campaigns (title, start_date, end_date) values ('Empty', now() + interval '1 day', now() + interval '1 day') $$,
  '23514', 'campaign_end_not_after_start', 'a campaign cannot end when it starts');
select lives_ok(
  $$ insert into campaigns (title, start_date, end_date) values ('Now', now(), now() + interval '1 hour') $$,
  'a campaign may start right now');
select throws_ok(
  $$ update campaigns set start_date = now() - interval '1 day' where id = tests.id('campaign') $$,
  '23514', 'campaign_start_in_past', 'a campaign''s start cannot be moved into the past');
select throws_ok(
  $$ update campaigns set end_date = start_date - interval '1 minute' where id = tests.id('campaign') $$,
  '23514', 'campaign_end_not_after_start', 'a campaign''s end cannot be moved before its start');
select lives_ok(
  $$ update campaigns set end_date = end_date + interval '5 days' where id = tests.id('campaign') $$,
  'a campaign''s end can be extended');

-- a campaign that started yesterday can still be edited without touching its start
reset role;
set local session_replication_role = replica;
insert into campaigns (id, owner_id, organization_id, title, status, start_date, end_date)
values ('00000000-0000-0000-0000-0000000001a7', tests.id('owner'), tests.id('acme'), 'Running', 'active',
        now() - interval '1 day', now() + interval '1 day');
set local session_replication_role = origin;
select tests.authenticate_as('owner');
select lives_ok(
  $$ update campaigns set title = 'Still running' where id = '00000000-0000-0000-0000-0000000001a7' $$,
  'a campaign that already started can be edited when its start is left alone');

-- the same errors for the service role (the edge functions) and the superuser
select tests.authenticate_as_service_role();
select throws_ok(
  $$ insert into campaigns (owner_id, title, start_date, end_date)
     values (tests.id('owner'), 'Past', now() - interval '1 hour', now() + interval '1 day') $$,
  '23514', 'campaign_start_in_past', 'the service role gets the same error for a past start');
reset role;
select throws_ok(
  $$ insert into campaigns (owner_id, title, start_date, end_date)
     values (tests.id('owner'), 'Reversed', now() + interval '2 days', now() + interval '1 day') $$,
  '23514', 'campaign_end_not_after_start', 'so does the superuser for a reversed range');

-- the check constraint backs the trigger up
set local session_replication_role = replica;
select throws_ok(
  $$ insert into campaigns (owner_id, organization_id, title, start_date, end_date)
     values (tests.id('owner'), tests.id('acme'), 'Reversed', now() + interval '2 days', now() + interval '1 day') $$,
  '23514', null, 'with triggers off, the check constraint still refuses a reversed range');
set local session_replication_role = origin;

-- sessions follow the campaign's end unless their deadline was overridden
update interview_sessions set deadline = now() + interval '20 days' where id = tests.id('session_b');
update campaigns set end_date = now() + interval '15 days' where id = tests.id('campaign');
select results_eq(
  $$ select deadline from interview_sessions where id in (tests.id('session_a'), tests.id('session_b')) order by deadline $$,
  $$ values (now() + interval '15 days'), (now() + interval '20 days') $$,
  'moving the campaign''s end moves the deadlines that followed it, not the overridden ones');

select * from finish();
rollback;
