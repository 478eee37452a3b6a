-- Share links (20261203500000_share_links.sql): owners and editors share one session with an outside reviewer, for
-- at most 30 days, revocably; only the token's hash is stored; every opening is logged for the team; a rating by link
-- is one final row per answer that blind review treats as a colleague's evaluation.
begin;
set local search_path = public, extensions, tests;
select plan(47);

-- Fixtures: the shared world; ra = candidate_a's submitted answer of q1, rb = candidate_b's (session_b); `member`
-- joined Acme but is on no campaign.
do $$
begin
  perform tests.create_interview_world();
  insert into tests.fixture_ids values ('ra', tests.answer_first_question('session_a', 'candidate_a'));
  insert into tests.fixture_ids values ('rb', tests.answer_first_question('session_b', 'candidate_b'));
  insert into tests.fixture_ids values ('member', tests.create_user('member', 'hiring_manager'));
  insert into public.organization_members (organization_id, user_id, role)
  values (tests.id('acme'), tests.id('member'), 'member');
end
$$;

create temporary table links (name text primary key, id uuid, token text) on commit drop;
grant all on links to authenticated;
create function pg_temp.hash_of(name text) returns bytea language sql as $$
  select sha256(convert_to((select l.token from links l where l.name = hash_of.name), 'UTF8'))
$$;

-- ---------------------------------------------------------------------------------------------------------------------
-- creating: owners and editors; the token is returned once and only its hash is kept
-- ---------------------------------------------------------------------------------------------------------------------

select tests.authenticate_as('owner');
insert into links select 'rate', l.id, l.token
  from create_share_link(tests.id('session_a'), 'playback_and_rating', null, 'Client: Jane') l;
select tests.authenticate_as('editor');
insert into links select 'watch', l.id, l.token from create_share_link(tests.id('session_a')) l;
select set_config('role', 'none', true);

select ok((select token ~ '^[A-Za-z0-9_-]{43}$' from links where name = 'rate'),
  'the token is 43 base64url characters');
select is((select count(*)::int from share_links where session_id = tests.id('session_a')), 2,
  'the owner and the editor each created a link');
select is((select mode::text || ' ' || label from share_links where id = (select id from links where name = 'rate')),
  'playback_and_rating Client: Jane', 'the link keeps its mode and label');
select ok((select expires_at between now() + interval '7 days' - interval '1 minute' and now() + interval '7 days'
             from share_links where id = (select id from links where name = 'watch')),
  'a link lives 7 days unless told otherwise');
select is((select token_hash from private.share_link_tokens where share_link_id = (select id from links where name = 'rate')),
  pg_temp.hash_of('rate'), 'only sha256 of the token is stored');
select is_empty($$
  select 1 from share_links sl where sl::text like '%' || (select token from links where name = 'rate') || '%'
$$, 'the token itself is stored nowhere in the link row');
select is((select count(*)::int from audit_log where action = 'share_link.created'
            and entity_id = tests.id('session_a')), 2, 'each creation is in the session''s audit trail');

select tests.authenticate_as('reviewer');
select throws_ok($$ select create_share_link(tests.id('session_a')) $$, '42501', 'share_link_needs_editor',
  'a campaign reviewer cannot share the session (42501)');
select tests.authenticate_as('stranger');
select throws_ok($$ select create_share_link(tests.id('session_a')) $$, 'PT404', 'session_not_found',
  'a stranger is told the session does not exist');
select tests.authenticate_as('member');
select throws_ok($$ select create_share_link(tests.id('session_a')) $$, 'PT404', 'session_not_found',
  'a member of the organization who is not on the campaign is told the session does not exist');
select tests.authenticate_as('candidate_a');
select throws_ok($$ select create_share_link(tests.id('session_a')) $$, 'PT404', 'session_not_found',
  'the candidate cannot share their own session');
select tests.clear_authentication();
select throws_ok($$ select create_share_link(tests.id('session_a')) $$, '42501', null,
  'anon cannot call create_share_link');
select tests.authenticate_as('admin');
select lives_ok($$ select create_share_link(tests.id('session_b'), 'playback', now() + interval '1 hour') $$,
  'an admin can share any session');

select tests.authenticate_as('owner');
select throws_ok($$ select create_share_link(tests.id('session_a'), 'playback', now() - interval '1 second') $$,
  '23514', 'share_link_expiry_out_of_range', 'a link cannot expire in the past');
select throws_ok($$ select create_share_link(tests.id('session_a'), 'playback', now() + interval '30 days 1 minute') $$,
  '23514', 'share_link_expiry_out_of_range', 'a link cannot live more than 30 days');
select lives_ok($$ select create_share_link(tests.id('session_a'), 'playback', now() + interval '30 days') $$,
  'a link may live 30 days');
select throws_ok($$ select create_share_link(tests.id('session_a'), 'playback', null, E'two\nlines') $$,
  '23514', null, 'a label is one line');
select set_config('role', 'none', true);
select throws_ok($$ insert into share_links (session_id, campaign_id, expires_at)
                    values (tests.id('session_a'), tests.id('campaign'), now() + interval '31 days') $$,
  '23514', null, 'the 30-day bound is a constraint, for every writer');

-- ---------------------------------------------------------------------------------------------------------------------
-- reading: the campaign team reads links and views; nobody else
-- ---------------------------------------------------------------------------------------------------------------------

select tests.authenticate_as('reviewer');
select is((select count(*)::int from share_links where session_id = tests.id('session_a')), 3,
  'a campaign reviewer reads the session''s links');
select tests.authenticate_as('member');
select is_empty($$ select 1 from share_links $$, 'an organization member off the campaign reads no link');
select tests.authenticate_as('stranger');
select is_empty($$ select 1 from share_links $$, 'a stranger reads no link');
select tests.authenticate_as('candidate_a');
select is_empty($$ select 1 from share_links $$, 'the candidate reads no link to their session');
select tests.clear_authentication();
select throws_ok($$ select 1 from share_links $$, '42501', null, 'anon cannot read links');

-- ---------------------------------------------------------------------------------------------------------------------
-- opening (what the uploads function calls with the token's hash): one session's submitted answers, logged
-- ---------------------------------------------------------------------------------------------------------------------

select set_config('role', 'none', true);
create temporary table opened on commit drop as select private.open_share_link(pg_temp.hash_of('watch')) as doc;

select is((select jsonb_array_length(doc -> 'answers') from opened), 1, 'the link shows the one submitted answer');
select is((select doc #>> '{answers,0,response_id}' from opened), tests.id('ra')::text,
  'it is the answer of the shared session, never another session''s');
select ok((select doc #>> '{answers,0,object_key}' like 'campaigns/%/sessions/' || tests.id('session_a') || '/%'
             from opened), 'the key to sign is in the shared session''s folder');
select is((select doc #>> '{candidate,first_name}' from opened), 'Ada', 'the reviewer sees the candidate''s name');
select is((select response_ids from share_link_views where share_link_id = (select id from links where name = 'watch')),
  array[tests.id('ra')], 'the opening is logged with the answers handed out');

select throws_ok($$ select private.open_share_link(sha256('not a token')) $$, 'PT404', 'share_link_not_found',
  'an unknown token: share_link_not_found');
update share_links set created_at = now() - interval '2 days', expires_at = now() - interval '1 second'
 where id = (select id from links where name = 'watch');
select throws_ok($$ select private.open_share_link(pg_temp.hash_of('watch')) $$, 'PT410', 'share_link_expired',
  'an expired link: share_link_expired');

-- ---------------------------------------------------------------------------------------------------------------------
-- rating by link: one final rating per answer of the session, through a rating link only
-- ---------------------------------------------------------------------------------------------------------------------

update share_links set created_at = now(), expires_at = now() + interval '1 day'
 where id = (select id from links where name = 'watch');
select throws_ok($$ select private.rate_by_share_link(pg_temp.hash_of('watch'), tests.id('ra'), 4, '') $$,
  'PT403', 'share_link_read_only', 'a playback-only link cannot rate');
select throws_ok($$ select private.rate_by_share_link(pg_temp.hash_of('rate'), tests.id('rb'), 4, '') $$,
  'PT404', 'response_not_found', 'a rating link cannot rate another session''s answer');

-- The reviewer rates ra first (blind: nobody else has), then the link rates it.
select tests.authenticate_as('reviewer');
insert into evaluations (response_id, score) values (tests.id('ra'), 2);
select set_config('role', 'none', true);
select lives_ok($$ select private.rate_by_share_link(pg_temp.hash_of('rate'), tests.id('ra'), 5, 'Great') $$,
  'a rating link rates an answer of its session');
select throws_ok($$ select private.rate_by_share_link(pg_temp.hash_of('rate'), tests.id('ra'), 1, '') $$,
  'PT409', 'share_link_already_rated', 'a second rating of the same answer by the same link is refused');
select throws_ok($$ select private.rate_by_share_link(pg_temp.hash_of('watch'), tests.id('ra'), 9, '') $$,
  'PT403', 'share_link_read_only', 'the mode is checked before anything else');
select is((select (doc #>> '{answers,0,rating,score}')::int from (select private.open_share_link(pg_temp.hash_of('rate')) doc) d),
  5, 'the outside reviewer sees their own rating when they come back');
select is((select count(*)::int from evaluations where response_id = tests.id('ra')), 1,
  'a rating by link is not an evaluation');

-- ---------------------------------------------------------------------------------------------------------------------
-- blind review: link ratings follow the evaluations' rule
-- ---------------------------------------------------------------------------------------------------------------------

select tests.authenticate_as('reviewer');
select is((select count(*)::int from share_link_ratings where response_id = tests.id('ra')), 1,
  'a reviewer who rated the answer reads the rating by link');
select throws_ok($$ update evaluations set score = 5 where response_id = tests.id('ra') $$, '23514', 'score_final',
  'after a link rated the same answer, the blind reviewer''s score is final');
select tests.authenticate_as('owner');
insert into campaign_collaborators (campaign_id, user_id, role) values (tests.id('campaign'), tests.id('member'), 'reviewer');
select tests.authenticate_as('member');
select is_empty($$ select 1 from share_link_ratings $$,
  'a reviewer who has not rated the answer does not see the rating by link (RLS-invisible)');
select tests.authenticate_as('editor');
select is((select score::int from share_link_ratings where response_id = tests.id('ra')), 5,
  'an editor reads every rating by link');
select throws_ok($$ insert into share_link_ratings (share_link_id, response_id, session_id, campaign_id, score)
                    values ((select id from links where name = 'rate'), tests.id('ra'), tests.id('session_a'),
                            tests.id('campaign'), 1) $$,
  '42501', null, 'nobody writes a rating by link directly (42501)');

-- ---------------------------------------------------------------------------------------------------------------------
-- revoking: owners and editors, at once, idempotent
-- ---------------------------------------------------------------------------------------------------------------------

select tests.authenticate_as('reviewer');
select throws_ok($$ select revoke_share_link((select id from links where name = 'rate')) $$, '42501',
  'share_link_needs_editor', 'a reviewer cannot revoke a link');
select tests.authenticate_as('stranger');
select throws_ok($$ select revoke_share_link((select id from links where name = 'rate')) $$, 'PT404',
  'share_link_not_found', 'a stranger is told the link does not exist');
select tests.authenticate_as('editor');
select ok((select (revoke_share_link((select id from links where name = 'rate'))).revoked_at is not null),
  'an editor revokes the owner''s link');
select set_config('role', 'none', true);
select throws_ok($$ select private.open_share_link(pg_temp.hash_of('rate')) $$, 'PT410', 'share_link_revoked',
  'a revoked link: share_link_revoked');
select is((select count(*)::int from share_link_views where share_link_id = (select id from links where name = 'rate')), 1,
  'refused openings are not logged as views');

select * from finish();
rollback;
