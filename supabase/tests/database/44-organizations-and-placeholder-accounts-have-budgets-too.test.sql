-- Beside each account's budget (42), the campaign's organization has one for new invitations (100 an hour and 200 a
-- day while younger than a day, 3,000 and 10,000 after), and new placeholder accounts have their own, reserved before
-- Auth makes them, with the same numbers per account and per organization. Past any budget the whole statement is
-- refused (PT429) and the refusal says when to come back; admins have none.
begin;
set local search_path = public, extensions, tests;
select plan(24);
select tests.create_interview_world();

create temporary table budget_candidates on commit drop as
  with made as (
    insert into candidates (email, first_name, last_name)
    select format('org-budget-%s@test.local', lpad(i::text, 3, '0')), 'B', 'Udget' from generate_series(1, 120) i
    returning id, email
  ) select id, email from made;
grant select on budget_candidates to authenticated;

create function pg_temp.addresses(prefix text, n integer) returns text[] language sql as $$
  select array_agg(format('%s-%s@test.local', prefix, i)) from generate_series(1, n) i
$$;
grant execute on function pg_temp.addresses(text, integer) to authenticated;

-- Owner and editor are established accounts (1,000 an hour each); Acme was created today (100 an hour).
update profiles set created_at = now() - interval '2 days' where id in (tests.id('owner'), tests.id('editor'));

-- ------------------------------------------------------------------------------------------- placeholder accounts
select tests.authenticate_as('owner');
select is((select count(*)::int from private.reserve_placeholder_accounts(tests.id('campaign'),
                                                                          pg_temp.addresses('p-owner', 60))),
  60, 'an established account reserves 60 new candidate accounts in its young organization');
select tests.authenticate_as('editor');
select throws_ok(
  $$ select private.reserve_placeholder_accounts(tests.id('campaign'), pg_temp.addresses('p-editor', 41)) $$,
  'PT429', 'placeholder_quota_exceeded',
  'a colleague cannot take 41 more: the young organization has 100 an hour, whoever asks');
select results_eq(
  $$ select scope, period, remaining from private.my_quota_refusal(tests.id('campaign'), 'placeholder_account', 41) $$,
  $$ values ('organization', 'hour', 40) $$,
  'the refusal names the organization''s hourly budget and what is left of it');
select is((select count(*)::int from private.reserve_placeholder_accounts(tests.id('campaign'),
                                                                          pg_temp.addresses('p-editor', 40))),
  40, 'what is left can be taken');
select ok((select retry_after_seconds between 3500 and 3600
             from private.my_quota_refusal(tests.id('campaign'), 'placeholder_account', 1)),
  'once spent, the refusal says when the oldest reservation leaves the hour');
reset role;
select is((select count(*)::int from private.quota_uses
             where kind = 'placeholder_account' and organization_id = tests.id('acme')), 100,
  'nothing of the refused reservation remains');

select tests.authenticate_as('stranger');
select throws_ok(
  $$ select private.reserve_placeholder_accounts(tests.id('stranger_campaign'), pg_temp.addresses('p-young', 51)) $$,
  'PT429', 'placeholder_quota_exceeded', 'a new account may make 50 placeholder accounts an hour');
select results_eq(
  $$ select scope, period, remaining, retry_after_seconds is null
       from private.my_quota_refusal(tests.id('stranger_campaign'), 'placeholder_account', 51) $$,
  $$ values ('account', 'hour', 50, true) $$,
  'a request larger than the whole budget has no time to come back');
select throws_ok(
  $$ select private.reserve_placeholder_accounts(tests.id('campaign'), pg_temp.addresses('p-stranger', 1)) $$,
  'P0002', 'campaign_not_found', 'nobody reserves for a campaign of another company');
select tests.authenticate_as('reviewer');
select throws_ok(
  $$ select private.reserve_placeholder_accounts(tests.id('campaign'), pg_temp.addresses('p-reviewer', 1)) $$,
  'P0002', 'campaign_not_found', 'a reviewer cannot invite, so cannot reserve');
select tests.authenticate_as('candidate_a');
select throws_ok(
  $$ select private.reserve_placeholder_accounts(tests.id('campaign'), pg_temp.addresses('p-candidate', 1)) $$,
  'P0002', 'campaign_not_found', 'a candidate cannot reserve');
select throws_ok($$ select * from private.quota_uses $$, '42501', null,
  'nobody but the server reads who made which account');
select throws_ok($$ select private.record_placeholder_accounts(array[1]::bigint[], array[gen_random_uuid()]) $$,
  '42501', null, 'only the invitations function records the accounts it made');
select tests.authenticate_as('admin');
select is((select count(*)::int from private.reserve_placeholder_accounts(tests.id('campaign'),
                                                                          pg_temp.addresses('p-admin', 500))),
  0, 'an admin has no placeholder quota (nothing to reserve)');
select is_empty($$ select * from private.my_quota_refusal(tests.id('campaign'), 'invitation', 100000) $$,
  'nor any invitation quota');
select tests.clear_authentication();
select throws_ok($$ select private.reserve_placeholder_accounts(gen_random_uuid(), array['x@test.local']) $$,
  '42501', null, 'anon cannot reserve');

-- ------------------------------------------------------------------------------------------------- invitations
select tests.authenticate_as('owner');
select lives_ok(
  $$ insert into interview_sessions (campaign_id, candidate_id)
     select tests.id('campaign'), c.id from budget_candidates c order by c.email limit 60 $$,
  'the owner invites 60 (62 in the organization this hour)');
select tests.authenticate_as('editor');
select throws_ok(
  $$ insert into interview_sessions (campaign_id, candidate_id)
     select tests.id('campaign'), c.id from budget_candidates c order by c.email offset 60 limit 39 $$,
  'PT429', 'invitation_quota_exceeded',
  'the editor''s own budget is ample, but 39 more would take the young organization past 100 an hour');
select is((select count(*)::int from interview_sessions where campaign_id = tests.id('campaign')), 62,
  'the whole refused insert is gone');
select lives_ok(
  $$ insert into interview_sessions (campaign_id, candidate_id)
     select tests.id('campaign'), c.id from budget_candidates c order by c.email offset 60 limit 38 $$,
  'up to the organization''s budget, the insert goes through');
select results_eq(
  $$ select scope, period, remaining from private.my_quota_refusal(tests.id('campaign'), 'invitation', 1) $$,
  $$ values ('organization', 'hour', 0) $$,
  'the colleague reads which budget is spent');
select tests.authenticate_as('owner');
select throws_ok(
  $$ insert into interview_sessions (campaign_id, candidate_id)
     select tests.id('campaign'), c.id from budget_candidates c order by c.email offset 98 limit 1 $$,
  'PT429', 'invitation_quota_exceeded', 'and so does the owner: the budget is the organization''s');

reset role;
update organizations set created_at = now() - interval '2 days' where id = tests.id('acme');
select tests.authenticate_as('owner');
select lives_ok(
  $$ insert into interview_sessions (campaign_id, candidate_id)
     select tests.id('campaign'), c.id from budget_candidates c order by c.email offset 98 limit 22 $$,
  'an organization older than a day has the larger budget');
select tests.authenticate_as('stranger');
select is_empty(
  $$ select * from private.my_quota_refusal(tests.id('campaign'), 'invitation', 1) $$,
  'another company reads nothing of Acme''s budgets');

select * from finish();
rollback;
