-- The candidate's own data (public.my_data, replaced by 20261203520000_own_data_with_share_links.sql) lists the share
-- links made to their interview, with their views and ratings, never a token; and only the emails sent to them, not
-- the team's completion notices (which carry the team's addresses).
begin;
set local search_path = public, extensions, tests;
select plan(8);

do $$
declare
  q2 uuid;
  campaign uuid;
begin
  perform tests.create_interview_world();
  q2 := tests.id('q2');
  campaign := tests.id('campaign');
  update public.questions set is_practice = true where id = q2;
  update public.campaigns set notify_on_completion = true where id = campaign;
  insert into tests.fixture_ids values ('ra', tests.answer_first_question('session_a', 'candidate_a'));
end
$$;

create temporary table link on commit drop as select null::text as token limit 0;
grant all on link to authenticated;
select tests.authenticate_as('owner');
insert into link select l.token from create_share_link(tests.id('session_a'), 'playback_and_rating', null, 'Client: Jane') l;
select set_config('role', 'none', true);
select count(*) from (select private.open_share_link(sha256(convert_to((select token from link), 'UTF8')))) opened;
select count(*) from private.rate_by_share_link(sha256(convert_to((select token from link), 'UTF8')), tests.id('ra'),
                                                4, 'Good');
select tests.authenticate_as('candidate_a');
select public.finish_interview(tests.id('session_a'));
select set_config('role', 'none', true);
select ok((select count(*) > 0 from private.email_outbox where kind = 'completion_notice'),
  'the team''s notices were queued (the setting is on)');

create temporary table doc (d jsonb) on commit drop;
grant all on doc to authenticated;
select tests.authenticate_as('candidate_a');
insert into doc select public.my_data();
select set_config('role', 'none', true);

select is((select d #>> '{interviews,0,share_links,0,shared_with}' from doc), 'Client: Jane',
  'the candidate sees with whom their answers were shared');
select is((select jsonb_array_length(d #> '{interviews,0,share_links,0,views}') from doc), 1,
  'and when the link was opened');
select is((select (d #>> '{interviews,0,share_links,0,ratings,0,score}')::int from doc), 4,
  'and the rating given through it');
select ok((select d::text !~ '(token|secret|token_hash)' and position((select token from link) in d::text) = 0
             from doc), 'never the link''s token nor its hash');
select is((select array_agg(distinct e ->> 'to_email') from doc, jsonb_array_elements(d -> 'emails') e),
  array['candidate_a@test.local'],
  'the team''s completion notices (their addresses) are not the candidate''s emails');
select ok((select d -> 'emails' @> '[{"kind": "receipt"}]' from doc), 'the receipt sent to them still is');

select tests.authenticate_as('candidate_b');
select is((select jsonb_path_query_array(public.my_data(), '$.interviews[*].share_links[*]')), '[]'::jsonb,
  'another candidate sees no link to someone else''s interview');

select * from finish();
rollback;
