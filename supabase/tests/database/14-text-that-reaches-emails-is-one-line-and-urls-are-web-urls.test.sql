-- Text that reaches email headers, subjects and file names is one line, and URL columns hold http(s) URLs, whoever
-- writes through PostgREST (23514, the constraint's name in the message). What a user types at sign-up is cleaned
-- instead, so that GoTrue's sign-up never fails on it.
begin;
set local search_path = public, extensions, tests;
select plan(14);
select tests.create_interview_world();

select tests.authenticate_as('owner');
select throws_ok(
  $$ insert into campaigns (title, start_date, end_date) values (E'Data\nengineer', now() + interval '1 day', now() + interval '2 days') $$,
  '23514', 'new row for relation "campaigns" violates check constraint "campaign_title_single_line"',
  'a campaign title with a line break is refused');
select throws_ok(
  $$ update campaigns set title = E'Bcc: everyone\r' where id = tests.id('campaign') $$,
  '23514', 'new row for relation "campaigns" violates check constraint "campaign_title_single_line"',
  'a title cannot be changed to carry a carriage return');
select lives_ok(
  $$ update campaigns set title = 'Ingénieur·e données — Paris' where id = tests.id('campaign') $$,
  'any one-line text in any script is accepted');
select lives_ok(
  $$ update campaigns set description = E'Two\nparagraphs' where id = tests.id('campaign') $$,
  'a description (never a header) keeps its line breaks');
select throws_ok(
  $$ update hiring_managers set company = E'Acme\tInc' where id = tests.id('owner') $$,
  '23514', 'new row for relation "hiring_managers" violates check constraint "hiring_manager_fields_single_line"',
  'a company name with a tab is refused');
select throws_ok(
  $$ update profiles set first_name = E'Olivia\u0007' where id = tests.id('owner') $$,
  '23514', 'new row for relation "profiles" violates check constraint "profile_names_single_line"',
  'a name with a control character is refused');

select tests.authenticate_as('candidate_a');
select throws_ok(
  $$ update candidates set linkedin_url = 'javascript:alert(document.cookie)' where user_id = tests.id('candidate_a') $$,
  '23514', 'new row for relation "candidates" violates check constraint "candidate_linkedin_url_is_web_url"',
  'a javascript: URL is refused');
select throws_ok(
  $$ update candidates set linkedin_url = 'https://www.linkedin.com/in/ada dropped' where user_id = tests.id('candidate_a') $$,
  '23514', 'new row for relation "candidates" violates check constraint "candidate_linkedin_url_is_web_url"',
  'a URL with a space is refused');
select lives_ok(
  $$ update candidates set linkedin_url = 'https://www.linkedin.com/in/ada?x=1#top' where user_id = tests.id('candidate_a') $$,
  'an https URL is accepted');
select throws_ok(
  $$ update candidates set last_name = E'A\nBcc: x@example.com' where user_id = tests.id('candidate_a') $$,
  '23514', 'new row for relation "candidates" violates check constraint "candidate_fields_single_line"',
  'a candidate name with a line break is refused');
select tests.clear_authentication();
reset role;

-- Sign-up metadata is cleaned, never refused.
select lives_ok(
  $$ select tests.create_user('messy', 'candidate', jsonb_build_object(
       'first_name', E'Eve\r\nBcc: all', 'last_name', repeat('x', 300), 'phone', E'\t',
       'linkedin_url', 'javascript:alert(1)')) $$,
  'a sign-up with messy metadata still creates the user');
select is(
  (select first_name || '|' || char_length(last_name) || '|' || coalesce(phone, 'null') || '|' || coalesce(linkedin_url, 'null')
     from candidates where user_id = tests.get_user_id('messy')),
  'Eve Bcc: all|100|null|null',
  'control characters become spaces, lengths are cut, a non-web URL is dropped');
select lives_ok(
  $$ select tests.create_user('messy_manager', 'hiring_manager', jsonb_build_object('company', E'Acme\nCorp', 'department', repeat('d', 500))) $$,
  'a hiring manager sign-up with messy metadata still creates the user');
select is(
  (select company || '|' || char_length(department) from hiring_managers where id = tests.get_user_id('messy_manager')),
  'Acme Corp|200',
  'the hiring manager''s fields are cleaned the same way');

select * from finish();
rollback;
