-- Reads of campaigns, and of sessions with their campaign embedded, find the caller's rows through indexes
-- (20261203600000_campaigns_found_by_index): no read policy of campaigns is an arm that names no column, which would
-- force every query to filter all campaigns of every tenant. With sequential scans priced out, a plan that still
-- scans campaigns sequentially has no other way, which is what these tests look for. Admins still read everything.
begin;
set local search_path = public, extensions, tests;
select plan(8);
select tests.create_interview_world();

-- The plan of a query as the current user, as text.
create function pg_temp.plan_of(query text) returns text language plpgsql as $$
declare
  line text;
  plan text := '';
begin
  for line in execute 'explain (costs off) ' || query loop
    plan := plan || line || E'\n';
  end loop;
  return plan;
end
$$;
grant execute on function pg_temp.plan_of(text) to authenticated;
create temporary table every_campaign on commit drop as select id from public.campaigns;
grant select on every_campaign to authenticated;
select cmp_ok((select count(*) from every_campaign), '>=', 2::bigint, 'there are campaigns of two tenants to read');

select is_empty(
  $$ select p.policyname from pg_policies p
      where p.schemaname = 'public' and p.tablename = 'campaigns' and p.cmd in ('SELECT', 'ALL')
        and p.qual !~ '\m(id|owner_id)\M' $$,
  'every read policy of campaigns tests an indexed column');

set local enable_seqscan = off;

select tests.authenticate_as('owner');
select unalike(pg_temp.plan_of('select id, title from public.campaigns order by created_at desc'),
  '%Seq Scan on campaigns%', 'the campaigns list is read through the indexes');
select unalike(
  pg_temp.plan_of($q$
    select s.id, c.title from public.interview_sessions s
      left join lateral (select c1.title from public.campaigns c1 where c1.id = s.campaign_id) c on true
     order by s.invited_at desc limit 50 $q$),
  '%Seq Scan on campaigns%', 'a sessions list with each campaign''s title embedded probes campaigns by index');
select set_eq($$ select id from public.campaigns $$, $$ values (tests.id('campaign')) $$,
  'the owner still reads exactly their own campaign');

select tests.authenticate_as('reviewer');
select set_eq($$ select id from public.campaigns $$, $$ values (tests.id('campaign')) $$,
  'a collaborator still reads the campaign shared with them');

select tests.authenticate_as('candidate_a');
select is_empty($$ select id from public.campaigns $$, 'a candidate still reads no campaign');

select tests.authenticate_as('admin');
select set_eq($$ select id from public.campaigns $$, $$ select id from every_campaign $$,
  'the admin reads every campaign without a policy of their own');

select * from finish();
rollback;
