-- campaigns, per actor and command. Candidates never read this table (they use my_interviews()).
begin;
set local search_path = public, extensions, tests;
select plan(30);
select tests.create_interview_world();
insert into campaigns (id, owner_id, title, status, start_date, end_date) values
  ('00000000-0000-0000-0000-00000000d1af', tests.id('owner'), 'Draft one', 'draft', now(), now() + interval '1 day');

-- anon
select tests.clear_authentication();
select throws_ok($$ select * from campaigns $$, '42501', null, 'anon cannot read campaigns');
select throws_ok($$ insert into campaigns (title, start_date, end_date) values ('x', now(), now() + interval '1 day') $$,
  '42501', null, 'anon cannot create campaigns');

-- candidate A (invited to `campaign`)
select tests.authenticate_as('candidate_a');
select is_empty($$ select * from campaigns $$,
  'candidate A cannot read the campaigns table, not even the campaign they are invited to');
select throws_ok($$ insert into campaigns (title, start_date, end_date) values ('x', now(), now() + interval '1 day') $$,
  '42501', null, 'candidate A cannot create a campaign');
select is_empty($$ update campaigns set title = 'x' returning 1 $$, 'candidate A cannot change campaigns');
select is_empty($$ delete from campaigns returning 1 $$, 'candidate A cannot delete campaigns');

-- candidate B
select tests.authenticate_as('candidate_b');
select is_empty($$ select * from campaigns $$, 'candidate B cannot read the campaigns table');

-- owner
select tests.authenticate_as('owner');
select set_eq($$ select id from campaigns $$,
  $$ select unnest(array[tests.id('campaign'), '00000000-0000-0000-0000-00000000d1af'::uuid]) $$,
  'the owner reads their own campaigns and no one else''s');
select results_eq(
  $$ insert into campaigns (title, start_date, end_date) values ('Mine', now(), now() + interval '1 day')
     returning owner_id, status::text $$,
  $$ select tests.id('owner'), 'draft'::text $$,
  'the owner creates a campaign, owned by them and draft by default, and reads it back in the same request');
select throws_ok(
  $$ insert into campaigns (owner_id, title, start_date, end_date)
     values (tests.id('stranger'), 'For him', now(), now() + interval '1 day') $$,
  '42501', null, 'the owner cannot create a campaign owned by someone else');
select results_eq($$ update campaigns set title = 'Backend engineer II', retention_days = 30
                     where id = tests.id('campaign') returning title $$,
  $$ values ('Backend engineer II') $$, 'the owner can edit their campaign');
select throws_ok($$ update campaigns set owner_id = tests.id('stranger') where id = tests.id('campaign') $$,
  '42501', null, 'the owner cannot hand the campaign to someone else');
select is_empty($$ delete from campaigns where id = tests.id('campaign') returning 1 $$,
  'the owner cannot delete a campaign that is not a draft');
select results_eq($$ delete from campaigns where id = '00000000-0000-0000-0000-00000000d1af' returning title $$,
  $$ values ('Draft one') $$, 'the owner can delete a draft campaign');

-- stranger hiring manager
select tests.authenticate_as('stranger');
select results_eq($$ select id from campaigns $$, $$ select tests.id('stranger_campaign') $$,
  'the stranger reads only their own campaign');
select is_empty($$ update campaigns set title = 'Pwned' where id = tests.id('campaign') returning 1 $$,
  'the stranger cannot edit the owner''s campaign');
select is_empty($$ delete from campaigns where id = tests.id('campaign') returning 1 $$,
  'the stranger cannot delete the owner''s campaign');

-- reviewer
select tests.authenticate_as('reviewer');
select results_eq($$ select id from campaigns $$, $$ select tests.id('campaign') $$,
  'a reviewer reads the campaign shared with them');
select is_empty($$ update campaigns set title = 'x' where id = tests.id('campaign') returning 1 $$,
  'a reviewer cannot edit the campaign');
select is_empty($$ delete from campaigns where id = tests.id('campaign') returning 1 $$,
  'a reviewer cannot delete the campaign');

-- editor
select tests.authenticate_as('editor');
select results_eq($$ select id from campaigns $$, $$ select tests.id('campaign') $$,
  'an editor reads the campaign shared with them');
select is_empty($$ update campaigns set retention_days = 1 where id = tests.id('campaign') returning 1 $$,
  'an editor cannot change the campaign''s settings (owner only)');
select results_eq(
  $$ insert into campaigns (title, start_date, end_date) values ('Editor''s own', now(), now() + interval '1 day')
     returning owner_id $$,
  $$ select tests.id('editor') $$, 'an editor, as a hiring manager, can create campaigns of their own');

-- admin
select tests.authenticate_as('admin');
select set_has($$ select id from campaigns $$,
  $$ select unnest(array[tests.id('campaign'), tests.id('stranger_campaign')]) $$,
  'the admin reads every campaign');
select results_eq($$ update campaigns set status = 'closed' where id = tests.id('stranger_campaign') returning status::text $$,
  $$ values ('closed') $$, 'the admin can edit any campaign');
select results_eq(
  $$ insert into campaigns (owner_id, title, start_date, end_date)
     values (tests.id('stranger'), 'On his behalf', now(), now() + interval '1 day') returning owner_id $$,
  $$ select tests.id('stranger') $$, 'the admin can create a campaign for a hiring manager');
select throws_ok(
  $$ insert into campaigns (owner_id, title, start_date, end_date)
     values (tests.id('candidate_a'), 'Owned by a candidate', now(), now() + interval '1 day') $$,
  '23502', null, 'a campaign''s owner must be a hiring manager (a candidate has no organization to hold it)');
select results_eq($$ delete from campaigns where title = 'On his behalf' returning title $$,
  $$ values ('On his behalf') $$, 'the admin can delete a draft campaign of anyone');

-- the owner sees the admin's change; the default limits are filled
reset role;
select results_eq($$ select think_time_seconds, answer_time_seconds, max_takes, max_video_bytes, retention_days
                     from campaigns where title = 'Mine' $$,
  $$ values (30, 120, 3, 524288000::bigint, 180) $$, 'a new campaign gets the default limits (500 MiB cap)');
select is((select count(*)::int from campaigns where title = 'Backend engineer II'), 1,
  'the owner''s edit was stored');

select * from finish();
rollback;
