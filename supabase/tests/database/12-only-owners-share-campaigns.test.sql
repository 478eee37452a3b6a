-- campaign_collaborators, per actor and command: the team is visible to its members; only the owner manages it, and
-- only with members of the campaign's organization (a colleague who joined Acme; never the stranger from Globex).
begin;
set local search_path = public, extensions, tests;
select plan(22);
select tests.create_interview_world();
do $$
begin
  perform tests.create_user('colleague', 'hiring_manager', '{"company": "Acme"}');
  insert into organization_members (organization_id, user_id, role)
  values (tests.id('acme'), tests.get_user_id('colleague'), 'member');
end
$$;

select tests.clear_authentication();
select throws_ok($$ select * from campaign_collaborators $$, '42501', null, 'anon cannot read collaborators');

select tests.authenticate_as('candidate_a');
select is_empty($$ select * from campaign_collaborators $$, 'candidate A reads no collaborators');
select throws_ok(
  $$ insert into campaign_collaborators (campaign_id, user_id, role) values (tests.id('campaign'), tests.id('candidate_a'), 'editor') $$,
  '42501', null, 'candidate A cannot join a campaign team');
select tests.authenticate_as('candidate_b');
select is_empty($$ select * from campaign_collaborators $$, 'candidate B reads no collaborators');

select tests.authenticate_as('owner');
select set_eq($$ select user_id from campaign_collaborators where campaign_id = tests.id('campaign') $$,
  $$ select unnest(array[tests.id('reviewer'), tests.id('editor')]) $$, 'the owner reads the team');
select throws_ok(
  $$ insert into campaign_collaborators (campaign_id, user_id, role) values (tests.id('campaign'), tests.id('stranger'), 'reviewer') $$,
  '23514', 'collaborator_not_in_organization', 'the owner cannot share the campaign with someone outside Acme');
select lives_ok(
  $$ insert into campaign_collaborators (campaign_id, user_id, role) values (tests.id('campaign'), tests.get_user_id('colleague'), 'reviewer') $$,
  'the owner shares the campaign with a colleague of Acme');
select throws_ok(
  $$ insert into campaign_collaborators (campaign_id, user_id) values (tests.id('campaign'), tests.id('owner')) $$,
  '23514', 'collaborator_is_owner', 'the owner cannot be a collaborator of their own campaign');
select throws_ok(
  $$ insert into campaign_collaborators (campaign_id, user_id) values (tests.id('campaign'), tests.id('candidate_a')) $$,
  '23503', null, 'a candidate cannot be made a collaborator');
select results_eq(
  $$ update campaign_collaborators set role = 'editor' where user_id = tests.get_user_id('colleague') returning role::text $$,
  $$ values ('editor') $$, 'the owner changes a collaborator''s role');
select results_eq(
  $$ delete from campaign_collaborators where user_id = tests.get_user_id('colleague') returning user_id $$,
  $$ select tests.get_user_id('colleague') $$, 'the owner removes a collaborator');

select tests.authenticate_as('stranger');
select is_empty($$ select * from campaign_collaborators where campaign_id = tests.id('campaign') $$,
  'the stranger cannot read the owner''s team (any more)');
select throws_ok(
  $$ insert into campaign_collaborators (campaign_id, user_id, role) values (tests.id('campaign'), tests.id('stranger'), 'editor') $$,
  '42501', null, 'the stranger cannot add themselves to the owner''s campaign');

select tests.authenticate_as('reviewer');
select set_eq($$ select user_id from campaign_collaborators $$,
  $$ select unnest(array[tests.id('reviewer'), tests.id('editor')]) $$, 'a reviewer reads the team');
select is_empty($$ update campaign_collaborators set role = 'editor' where user_id = tests.id('reviewer') returning 1 $$,
  'a reviewer cannot promote themselves to editor');
select is_empty($$ delete from campaign_collaborators where user_id = tests.id('editor') returning 1 $$,
  'a reviewer cannot remove a collaborator');

select tests.authenticate_as('editor');
select throws_ok(
  $$ insert into campaign_collaborators (campaign_id, user_id, role) values (tests.id('campaign'), tests.id('stranger'), 'reviewer') $$,
  '42501', null, 'an editor cannot share the campaign');
select is_empty($$ delete from campaign_collaborators where user_id = tests.id('reviewer') returning 1 $$,
  'an editor cannot remove a collaborator');

select tests.authenticate_as('admin');
select set_has($$ select user_id from campaign_collaborators $$,
  $$ select unnest(array[tests.id('reviewer'), tests.id('editor')]) $$, 'the admin reads every team');
select throws_ok(
  $$ insert into campaign_collaborators (campaign_id, user_id, role) values (tests.id('stranger_campaign'), tests.id('owner'), 'reviewer') $$,
  '23514', 'collaborator_not_in_organization', 'not even the admin shares a campaign outside its organization');
select lives_ok(
  $$ insert into campaign_collaborators (campaign_id, user_id, role) values (tests.id('campaign'), tests.get_user_id('colleague'), 'reviewer') $$,
  'the admin can share any campaign with its organization''s members');
select results_eq(
  $$ delete from campaign_collaborators where campaign_id = tests.id('campaign') and user_id = tests.get_user_id('colleague') returning user_id $$,
  $$ select tests.get_user_id('colleague') $$, 'the admin can remove any collaborator');

select * from finish();
rollback;
