-- Every account has a budget of new invitations (sessions it invites): 50 an hour and 100 a day while younger than
-- a day, 1,000 and 3,000 after; admins have none. A statement that would go past it is refused whole (PT429).
begin;
set local search_path = public, extensions, tests;
select plan(6);
select tests.create_interview_world();

-- Candidate rows the owner's insert names by id (they are not visible to the owner before they are invited).
create temporary table budget_candidates on commit drop as
  with made as (
    insert into candidates (email, first_name, last_name)
    select format('budget-%s@test.local', lpad(i::text, 3, '0')), 'B', 'Udget' from generate_series(1, 120) i
    returning id, email
  ) select id, email from made;
grant select on budget_candidates to authenticated;

select tests.authenticate_as('owner');
select throws_ok(
  $$ insert into interview_sessions (campaign_id, candidate_id)
     select tests.id('campaign'), c.id from budget_candidates c order by c.email limit 49 $$,
  'PT429', 'invitation_quota_exceeded',
  'a new account (2 invitations so far) cannot invite 49 more within the hour: the whole insert is refused');
select is((select count(*)::int from interview_sessions where campaign_id = tests.id('campaign')), 2,
  'nothing of the refused insert remains');
select lives_ok(
  $$ insert into interview_sessions (campaign_id, candidate_id)
     select tests.id('campaign'), c.id from budget_candidates c order by c.email limit 48 $$,
  'up to the budget, the insert goes through');
select results_eq(
  $$ select period, remaining from private.my_invitation_quota() order by period $$,
  $$ values ('day', 50), ('hour', 0) $$,
  'the caller reads what remains of each window');

reset role;
update profiles set created_at = now() - interval '2 days' where id = tests.id('owner');
-- (and its organization too: a young organization has its own, smaller budget; see 44)
update organizations set created_at = now() - interval '2 days' where id = tests.id('acme');
select tests.authenticate_as('owner');
select lives_ok(
  $$ insert into interview_sessions (campaign_id, candidate_id)
     select tests.id('campaign'), c.id from budget_candidates c order by c.email offset 48 limit 60 $$,
  'an account older than a day has the larger budget');

select tests.authenticate_as('admin');
select is_empty($$ select * from private.my_invitation_quota() $$, 'an admin has no quota');

select * from finish();
rollback;
