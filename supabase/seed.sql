-- Demo data for a local stack (loaded once, as superuser, after the migrations; never on a hosted project).
--
-- Two companies, each with hiring managers; an admin; candidates with and without accounts; campaigns in every
-- status; sessions in every state with question reveals, video takes (object keys only: there are no bytes in
-- storage), evaluations, decisions and the matching audit trail. Dates are relative to now(), so the data looks
-- current whenever it is loaded. Every account's password is `demo-password-1` (see README, "Demo data").
--
-- Accounts are created as GoTrue creates them (auth.users with a bcrypt hash, email confirmed, plus an
-- auth.identities row); the trigger on auth.users provisions their profiles. The interview history is written with
-- `session_replication_role = replica`: the triggers that guard live writes (start_date >= now() on a new campaign,
-- the session state machine, the response rules) would refuse rows that describe the past. That also skips the
-- foreign-key triggers and the audit triggers, so the block at the end checks every foreign key and the data rules
-- itself, and the audit rows are written explicitly with their historical times.

begin;

-- =====================================================================================================================
-- accounts
-- =====================================================================================================================

create temporary table seed_users (
  email text primary key,
  role text not null,
  first_name text not null,
  last_name text not null,
  company text,
  department text,
  phone text,
  linkedin_url text
) on commit drop;

insert into seed_users (email, role, first_name, last_name, company, department, phone, linkedin_url) values
  -- Northwind Labs
  ('recruiter@demo.test', 'hiring_manager', 'Dana', 'Whitfield', 'Northwind Labs', 'Talent Acquisition',
   '+1 415 555 0142', null),
  ('reviewer@demo.test', 'hiring_manager', 'Sam', 'Ortega', 'Northwind Labs', 'Engineering', '+1 415 555 0188', null),
  ('editor@demo.test', 'hiring_manager', 'Priya', 'Nair', 'Northwind Labs', 'Engineering', null, null),
  -- Bluebird Health
  ('morgan.lee@demo.test', 'hiring_manager', 'Morgan', 'Lee', 'Bluebird Health', 'People Operations',
   '+44 20 7946 0321', null),
  ('taylor.brooks@demo.test', 'hiring_manager', 'Taylor', 'Brooks', 'Bluebird Health', 'Nursing', null, null),
  -- the platform
  ('admin@demo.test', 'admin', 'Avery', 'Admin', null, null, null, null),
  -- candidates who have an account (they activated an invitation)
  ('candidate@demo.test', 'candidate', 'Jordan', 'Blake', null, null, '+1 646 555 0101',
   'https://www.linkedin.com/in/jordan-blake-demo'),
  ('amara.okafor@demo.test', 'candidate', 'Amara', 'Okafor', null, null, '+234 1 555 0102',
   'https://www.linkedin.com/in/amara-okafor-demo'),
  ('lucas.ferreira@demo.test', 'candidate', 'Lucas', 'Ferreira', null, null, null,
   'https://www.linkedin.com/in/lucas-ferreira-demo'),
  ('mei.tanaka@demo.test', 'candidate', 'Mei', 'Tanaka', null, null, '+81 3 5555 0104', null),
  ('noah.schmidt@demo.test', 'candidate', 'Noah', 'Schmidt', null, null, null, null),
  ('sofia.rossi@demo.test', 'candidate', 'Sofia', 'Rossi', null, null, '+39 02 5555 0106',
   'https://www.linkedin.com/in/sofia-rossi-demo'),
  ('chloe.martin@demo.test', 'candidate', 'Chloé', 'Martin', null, null, null, null),
  ('kwame.mensah@demo.test', 'candidate', 'Kwame', 'Mensah', null, null, '+233 30 555 0108', null),
  ('diego.alvarez@demo.test', 'candidate', 'Diego', 'Álvarez', null, null, null,
   'https://www.linkedin.com/in/diego-alvarez-demo'),
  ('fatima.zahra@demo.test', 'candidate', 'Fatima', 'Zahra', null, null, '+212 5 2255 0110', null);

-- Created as the admin API does it (service role): the role is in app_metadata, so the trigger trusts it.
insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, last_sign_in_at,
                        raw_app_meta_data, raw_user_meta_data, is_super_admin, created_at, updated_at, is_sso_user,
                        is_anonymous, confirmation_token, recovery_token, email_change_token_new, email_change)
select '00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated', u.email,
       extensions.crypt('demo-password-1', extensions.gen_salt('bf', 10)),
       now() - interval '150 days', null,
       jsonb_build_object('provider', 'email', 'providers', jsonb_build_array('email'), 'role', u.role),
       jsonb_strip_nulls(jsonb_build_object(
         'first_name', u.first_name, 'last_name', u.last_name, 'company', u.company, 'department', u.department,
         'phone', u.phone, 'linkedin_url', u.linkedin_url, 'email', u.email, 'email_verified', true,
         'phone_verified', false)),
       false, now() - interval '150 days', now() - interval '150 days', false, false, '', '', '', ''
  from seed_users u;

-- Profiles date from their accounts (150 days ago): established accounts, outside the new-account invitation tier.
update public.profiles p set created_at = u.created_at from auth.users u where u.id = p.id;

-- One email identity per user, pointing at the ids just generated (as GoTrue links them).
insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
select au.id::text, au.id,
       jsonb_build_object('sub', au.id::text, 'email', au.email, 'email_verified', true, 'phone_verified', false),
       'email', null, au.created_at, au.created_at
  from auth.users au
  join seed_users u on u.email = au.email;

-- The two demo companies as organizations: each hiring manager got one of their own at sign-up; the first person of
-- each company keeps theirs (named after the company) as its owner, and the others join it as admin or member.
create temporary table seed_memberships on commit drop as
  select u.email, first_value(u.email) over (partition by u.company order by u.email = 'recruiter@demo.test' desc,
                                                 u.email = 'morgan.lee@demo.test' desc) as owner_email,
         case u.email when 'editor@demo.test' then 'admin' else 'member' end as role
    from seed_users u where u.role = 'hiring_manager';
delete from public.organizations o
 using public.organization_members m, auth.users au, seed_memberships sm
 where m.organization_id = o.id and au.id = m.user_id and sm.email = au.email and sm.email <> sm.owner_email;
insert into public.organization_members (organization_id, user_id, role, created_at)
select om.organization_id, au.id, sm.role::public.organization_role, au.created_at + interval '1 day'
  from seed_memberships sm
  join auth.users au on au.email = sm.email
  join auth.users owner_user on owner_user.email = sm.owner_email
  join public.organization_members om on om.user_id = owner_user.id
 where sm.email <> sm.owner_email;
update public.organizations o set created_at = au.created_at
  from public.organization_members m join auth.users au on au.id = m.user_id
 where m.organization_id = o.id and m.role = 'owner';
update public.organization_members m set created_at = au.created_at
  from auth.users au where au.id = m.user_id and m.role = 'owner';

-- Candidates who were invited but never created an account.
insert into public.candidates (email, first_name, last_name, phone, linkedin_url, created_at, updated_at) values
  ('ethan.walker@demo.test', 'Ethan', 'Walker', null, 'https://www.linkedin.com/in/ethan-walker-demo',
   now() - interval '100 days', now() - interval '100 days'),
  ('isabel.garcia@demo.test', 'Isabel', 'García', '+34 91 555 0112', null,
   now() - interval '8 days', now() - interval '8 days'),
  ('hannah.kim@demo.test', 'Hannah', 'Kim', null, null, now() - interval '2 days', now() - interval '2 days'),
  ('omar.haddad@demo.test', 'Omar', 'Haddad', '+971 4 555 0114', null,
   now() - interval '9 days', now() - interval '9 days');

create function pg_temp.user_id(p_email text) returns uuid language sql stable as $$
  select id from auth.users where email = p_email
$$;
create function pg_temp.candidate_id(p_email text) returns uuid language sql stable as $$
  select id from public.candidates where lower(email) = lower(p_email)
$$;

-- =====================================================================================================================
-- campaigns, collaborators, questions (history: triggers off from here on)
-- =====================================================================================================================

set local session_replication_role = replica;

create temporary table seed_campaigns (
  key text primary key,
  id uuid not null default gen_random_uuid(),
  owner_email text not null,
  title text not null,
  description text not null,
  status public.campaign_status not null,
  starts interval not null, -- relative to now()
  ends interval not null,
  think_time_seconds integer not null default 30,
  answer_time_seconds integer not null default 120,
  max_takes integer not null default 3,
  retention_days integer not null default 180,
  created interval not null
) on commit drop;

insert into seed_campaigns (key, owner_email, title, description, status, starts, ends, think_time_seconds,
                            answer_time_seconds, max_takes, retention_days, created) values
  ('backend', 'recruiter@demo.test', 'Senior Backend Engineer',
   'Own the services behind our logistics platform: Postgres, queues and APIs that move thousands of parcels a '
   'minute. Remote within Europe or the US East Coast.',
   'active', '-10 days', '20 days', 30, 120, 3, 180, '-14 days'),
  ('designer', 'recruiter@demo.test', 'Product Designer',
   'Shape the dispatcher dashboard and the driver app with our product and engineering teams.',
   'active', '-3 days', '5 days', 45, 180, 2, 120, '-5 days'),
  ('frontend', 'recruiter@demo.test', 'Frontend Engineer (TypeScript)',
   'Build the customer tracking pages used by millions of parcel recipients every week.',
   'active', '2 days', '30 days', 30, 120, 3, 180, '-1 day'),
  ('eng_manager', 'recruiter@demo.test', 'Engineering Manager, Platform',
   'Lead a team of six engineers running the platform our product teams build on. Draft: questions under review.',
   'draft', '7 days', '37 days', 60, 240, 2, 180, '-2 days'),
  ('success', 'recruiter@demo.test', 'Customer Success Lead',
   'Look after our twenty largest shippers, from onboarding to renewal.',
   'closed', '-60 days', '-5 days', 30, 150, 3, 90, '-62 days'),
  ('analyst_intern', 'recruiter@demo.test', 'Data Analyst Internship 2026',
   'A six-month paid internship in the analytics team. Archived after the cohort was hired.',
   'archived', '-120 days', '-80 days', 20, 90, 2, 30, '-125 days'),
  ('nurse', 'morgan.lee@demo.test', 'Registered Nurse, Night Shift',
   'Join the night team of our cardiology ward. Registration with the NMC required.',
   'active', '-7 days', '14 days', 30, 120, 2, 180, '-9 days'),
  ('clinical_data', 'morgan.lee@demo.test', 'Clinical Data Manager',
   'Keep trial data clean, complete and audit-ready across our research programmes.',
   'closed', '-45 days', '-2 days', 30, 180, 3, 180, '-47 days'),
  ('patient_experience', 'morgan.lee@demo.test', 'Patient Experience Coordinator',
   'Draft: gather and act on patient feedback across our three clinics.',
   'draft', '3 days', '33 days', 30, 120, 3, 180, '-1 day');

insert into public.campaigns (id, owner_id, organization_id, title, description, status, start_date, end_date,
                              think_time_seconds, answer_time_seconds, max_takes, retention_days, created_at, updated_at)
select c.id, pg_temp.user_id(c.owner_email), private.default_organization_of(pg_temp.user_id(c.owner_email)), c.title, c.description, c.status,
       date_trunc('hour', now() + c.starts), date_trunc('hour', now() + c.ends),
       c.think_time_seconds, c.answer_time_seconds, c.max_takes, c.retention_days,
       now() + c.created, now() + c.created
  from seed_campaigns c;

create function pg_temp.campaign_id(p_key text) returns uuid language sql stable as $$
  select id from seed_campaigns where key = p_key
$$;

insert into public.campaign_collaborators (campaign_id, user_id, role, created_at, updated_at)
select pg_temp.campaign_id(k), pg_temp.user_id(e), r::public.collaborator_role, now() + c.created + interval '1 hour',
       now() + c.created + interval '1 hour'
  from (values ('backend', 'reviewer@demo.test', 'reviewer'),
               ('backend', 'editor@demo.test', 'editor'),
               ('designer', 'reviewer@demo.test', 'reviewer'),
               ('success', 'reviewer@demo.test', 'reviewer'),
               ('success', 'editor@demo.test', 'editor'),
               ('eng_manager', 'editor@demo.test', 'editor'),
               ('nurse', 'taylor.brooks@demo.test', 'reviewer')) v (k, e, r)
  join seed_campaigns c on c.key = v.k;

insert into public.questions (campaign_id, position, prompt, think_time_seconds, answer_time_seconds, max_takes,
                              is_practice, created_at, updated_at)
select c.id, v.position, v.prompt,
       coalesce(v.think, c.think_time_seconds), coalesce(v.answer, c.answer_time_seconds),
       coalesce(v.takes, c.max_takes), v.practice, now() + c.created, now() + c.created
  from (values
    ('backend', 1, 'Practice: introduce yourself in one minute. This answer is not reviewed.', 10, 60, 5, true),
    ('backend', 2, 'Tell us about a production incident you led. What happened, and what changed afterwards?',
     null, null, null, false),
    ('backend', 3, 'A query that took 20 ms now takes 4 s after a data migration. Walk us through your diagnosis.',
     60, 180, null, false),
    ('backend', 4, 'How do you decide between a queue and a synchronous API call between two services?',
     null, null, null, false),
    ('designer', 1, 'Show us, in words, a design decision you changed after watching a user test.',
     null, null, null, false),
    ('designer', 2, 'Dispatchers say the dashboard is "too busy". How would you find out what they mean?',
     null, null, null, false),
    ('designer', 3, 'What does a good hand-off to engineering look like for you?', null, 120, null, false),
    ('frontend', 1, 'Practice: tell us what you are working on at the moment.', 10, 60, 5, true),
    ('frontend', 2, 'A tracking page is slow on low-end phones. Where do you start?', null, null, null, false),
    ('frontend', 3, 'How do you keep a large TypeScript codebase easy to change?', null, null, null, false),
    ('eng_manager', 1, 'Describe a time you turned around a struggling team.', null, null, null, false),
    ('eng_manager', 2, 'How do you balance platform work against feature requests from product teams?',
     null, null, null, false),
    ('success', 1, 'A key customer threatens to churn after a bad month. What do you do in the first week?',
     null, null, null, false),
    ('success', 2, 'How do you measure whether a customer is getting value from the product?',
     null, null, null, false),
    ('success', 3, 'Tell us about a renewal you are proud of.', null, 120, null, false),
    ('analyst_intern', 1, 'Walk us through an analysis you did that changed someone''s mind.',
     null, null, null, false),
    ('analyst_intern', 2, 'Which SQL feature do you find most useful, and why?', null, null, null, false),
    ('nurse', 1, 'Practice: tell us why you chose nursing.', 10, 60, 3, true),
    ('nurse', 2, 'A patient''s observations deteriorate at 3 a.m. Talk us through your actions.',
     null, null, null, false),
    ('nurse', 3, 'How do you hand over to the day team so nothing is missed?', null, null, null, false),
    ('clinical_data', 1, 'How do you plan data cleaning before a trial database lock?', null, null, null, false),
    ('clinical_data', 2, 'Tell us about a data discrepancy you found and how you resolved it.',
     null, null, null, false),
    ('patient_experience', 1, 'How would you collect feedback from patients who rarely fill in surveys?',
     null, null, null, false)
  ) v (key, position, prompt, think, answer, takes, practice)
  join seed_campaigns c on c.key = v.key;

-- =====================================================================================================================
-- interview sessions
-- =====================================================================================================================

create temporary table seed_sessions (
  id uuid not null default gen_random_uuid(),
  campaign_key text not null,
  email text not null,
  status public.session_status not null,
  invited interval not null,          -- relative to now()
  started interval,                   -- in_progress, completed, withdrawn after starting
  ended interval,                     -- expired_at / withdrawn_at (completed_at is derived from the answers)
  deadline interval,                  -- a per-candidate override; null = the campaign's end
  reveals integer,                    -- questions revealed (null = all of them, for completed sessions)
  decision public.session_decision,
  decision_note text,
  reviewers text[] not null default '{}',
  primary key (campaign_key, email)
) on commit drop;

insert into seed_sessions (campaign_key, email, status, invited, started, ended, deadline, reveals, decision,
                           decision_note, reviewers) values
  -- Senior Backend Engineer (active): every state
  ('backend', 'candidate@demo.test', 'in_progress', '-9 days', '-25 minutes', null, null, 3, null, null, '{}'),
  ('backend', 'amara.okafor@demo.test', 'completed', '-9 days', '-8 days', null, null, null, 'advance',
   'Strong incident story and a clear diagnosis. Invite to the system design round.',
   '{recruiter@demo.test,reviewer@demo.test,editor@demo.test}'),
  ('backend', 'lucas.ferreira@demo.test', 'completed', '-9 days', '-6 days', null, null, null, 'hold',
   'Good fundamentals; compare with the rest of the pool before deciding.',
   '{recruiter@demo.test,reviewer@demo.test}'),
  ('backend', 'mei.tanaka@demo.test', 'completed', '-7 days', '-1 day', null, null, null, null, null, '{}'),
  ('backend', 'ethan.walker@demo.test', 'invited', '-2 days', null, null, null, null, null, null, '{}'),
  ('backend', 'isabel.garcia@demo.test', 'invited', '-8 days', null, null, '25 days', null, null, null, '{}'),
  ('backend', 'noah.schmidt@demo.test', 'withdrawn', '-9 days', null, '-4 days', null, null, null, null, '{}'),
  ('backend', 'omar.haddad@demo.test', 'expired', '-9 days', null, '-1 day', '-1 day', null, null, null, '{}'),
  -- Product Designer (active)
  ('designer', 'candidate@demo.test', 'invited', '-2 days', null, null, null, null, null, null, '{}'),
  ('designer', 'sofia.rossi@demo.test', 'completed', '-3 days', '-2 days', null, null, null, null, null,
   '{recruiter@demo.test}'),
  ('designer', 'chloe.martin@demo.test', 'in_progress', '-3 days', '-15 minutes', null, null, 2, null, null, '{}'),
  ('designer', 'hannah.kim@demo.test', 'invited', '-1 day', null, null, null, null, null, null, '{}'),
  -- Frontend Engineer (active, starts in two days)
  ('frontend', 'amara.okafor@demo.test', 'invited', '-20 hours', null, null, null, null, null, null, '{}'),
  ('frontend', 'kwame.mensah@demo.test', 'invited', '-20 hours', null, null, null, null, null, null, '{}'),
  -- Customer Success Lead (closed)
  ('success', 'candidate@demo.test', 'completed', '-58 days', '-50 days', null, null, null, 'hold',
   'Thoughtful answers; keep for the account manager opening in Q1.', '{recruiter@demo.test,reviewer@demo.test}'),
  ('success', 'kwame.mensah@demo.test', 'completed', '-58 days', '-55 days', null, null, null, 'advance',
   'Hired.', '{recruiter@demo.test,reviewer@demo.test,editor@demo.test}'),
  ('success', 'diego.alvarez@demo.test', 'completed', '-40 days', '-38 days', null, null, null, 'reject',
   'Not enough experience with enterprise accounts.', '{recruiter@demo.test,reviewer@demo.test}'),
  ('success', 'fatima.zahra@demo.test', 'expired', '-30 days', null, '-5 days', null, null, null, null, '{}'),
  ('success', 'noah.schmidt@demo.test', 'withdrawn', '-30 days', '-21 days', '-20 days', null, 1, null, null, '{}'),
  -- Data Analyst Internship 2026 (archived)
  ('analyst_intern', 'fatima.zahra@demo.test', 'completed', '-118 days', '-110 days', null, null, null, 'advance',
   'Joined the cohort.', '{recruiter@demo.test}'),
  ('analyst_intern', 'lucas.ferreira@demo.test', 'completed', '-118 days', '-100 days', null, null, null, 'reject',
   'Preferred a full-time role.', '{recruiter@demo.test}'),
  ('analyst_intern', 'ethan.walker@demo.test', 'expired', '-100 days', null, '-80 days', null, null, null, null,
   '{}'),
  -- Bluebird Health: Registered Nurse, Night Shift (active)
  ('nurse', 'sofia.rossi@demo.test', 'completed', '-6 days', '-5 days', null, null, null, 'advance',
   'Calm and precise. Book the ward visit.', '{morgan.lee@demo.test,taylor.brooks@demo.test}'),
  ('nurse', 'diego.alvarez@demo.test', 'in_progress', '-6 days', '-30 minutes', null, null, 3, null, null, '{}'),
  ('nurse', 'isabel.garcia@demo.test', 'invited', '-4 days', null, null, null, null, null, null, '{}'),
  ('nurse', 'omar.haddad@demo.test', 'invited', '-4 days', null, null, null, null, null, null, '{}'),
  -- Bluebird Health: Clinical Data Manager (closed)
  ('clinical_data', 'mei.tanaka@demo.test', 'completed', '-44 days', '-40 days', null, null, null, 'hold', '',
   '{morgan.lee@demo.test}'),
  ('clinical_data', 'chloe.martin@demo.test', 'expired', '-44 days', null, '-2 days', null, null, null, null, '{}');

insert into public.interview_sessions (id, campaign_id, candidate_id, status, deadline, invited_by, invited_at,
                                       started_at, expired_at, withdrawn_at, created_at, updated_at)
select s.id, c.id, pg_temp.candidate_id(s.email), s.status,
       coalesce(date_trunc('hour', now() + s.deadline), date_trunc('hour', now() + c.ends)),
       pg_temp.user_id(c.owner_email), now() + s.invited,
       now() + s.started,
       case when s.status = 'expired' then now() + s.ended + interval '5 minutes' end,
       case when s.status = 'withdrawn' then now() + s.ended end,
       now() + s.invited, now() + coalesce(s.ended, s.started, s.invited)
  from seed_sessions s
  join seed_campaigns c on c.key = s.campaign_key;

-- =====================================================================================================================
-- question reveals and video takes
-- =====================================================================================================================

-- Each revealed question took five minutes; a completed session revealed every question.
insert into public.question_reveals (session_id, question_id, campaign_id, revealed_at, answer_opens_at,
                                     answer_closes_at)
select s.id, q.id, q.campaign_id, r.revealed_at, r.revealed_at + make_interval(secs => q.think_time_seconds),
       r.revealed_at + make_interval(secs => q.think_time_seconds + q.answer_time_seconds)
  from seed_sessions s
  join public.interview_sessions si on si.id = s.id
  join public.questions q on q.campaign_id = si.campaign_id
  cross join lateral (select si.started_at + (q.position - 1) * interval '5 minutes' as revealed_at) r
 where si.started_at is not null
   and q.position <= coalesce(s.reveals, 1000);

-- Answered: every revealed question of a completed session, and all but the current one otherwise. Some answers
-- took a second take; the last take is the submitted one.
create temporary table seed_takes on commit drop as
select gen_random_uuid() as id, r.session_id, r.question_id, r.campaign_id, t.take_number,
       t.take_number = takes.n as is_submitted,
       r.answer_opens_at + (t.take_number - 1) * interval '70 seconds' as created_at,
       least(q.answer_time_seconds - 5, 35 + abs(hashtext(r.session_id::text || r.question_id::text || t.take_number)) % 85)
         ::numeric(8, 2) as duration_seconds
  from public.question_reveals r
  join public.interview_sessions si on si.id = r.session_id
  join public.questions q on q.id = r.question_id
  cross join lateral (select least(q.max_takes, 1 + abs(hashtext(r.question_id::text || r.session_id::text)) % 2)
                        as n) takes
  cross join lateral generate_series(1, takes.n) as t (take_number)
 where r.session_id in (select id from seed_sessions)
   and (si.status = 'completed'
        or exists (select 1 from public.question_reveals later
                    where later.session_id = r.session_id and later.revealed_at > r.revealed_at));

insert into public.video_responses (id, session_id, question_id, campaign_id, take_number, object_key, content_type,
                                    size_bytes, duration_seconds, status, is_submitted, created_at, uploaded_at,
                                    submitted_at)
select t.id, t.session_id, t.question_id, t.campaign_id, t.take_number,
       format('campaigns/%s/sessions/%s/%s/%s-%s.webm', t.campaign_id, t.session_id, t.question_id, t.take_number,
              t.id),
       'video/webm;codecs=vp9,opus', (t.duration_seconds * 310000)::bigint, t.duration_seconds, 'uploaded',
       t.is_submitted, t.created_at, t.created_at + make_interval(secs => t.duration_seconds::double precision + 4),
       case when t.is_submitted
            then t.created_at + make_interval(secs => t.duration_seconds::double precision + 6) end
  from seed_takes t;

-- A completed session ended when its last answer was submitted.
update public.interview_sessions si
   set completed_at = last.submitted_at + interval '20 seconds',
       updated_at = last.submitted_at + interval '20 seconds'
  from (select session_id, max(submitted_at) as submitted_at from public.video_responses group by session_id) last
 where last.session_id = si.id and si.status = 'completed' and si.id in (select id from seed_sessions);

-- =====================================================================================================================
-- evaluations and decisions
-- =====================================================================================================================

-- Scores lean towards the decision that followed (advance high, reject low); practice answers are never rated.
insert into public.evaluations (response_id, session_id, campaign_id, reviewer_id, score, comment, created_at,
                                updated_at)
select v.id, v.session_id, v.campaign_id, pg_temp.user_id(rv.email),
       greatest(1, least(5,
         case s.decision when 'advance' then 4 when 'reject' then 2 else 3 end
         + abs(hashtext(v.id::text || rv.email)) % 3 - 1))::smallint,
       (array['Clear structure and concrete examples.', 'Good answer, a little long.',
              'Would like more detail on the trade-offs.', 'Very convincing.', 'Answered a different question.',
              'Solid, nothing stood out.'])[1 + abs(hashtext(rv.email || v.id::text)) % 6],
       si.completed_at + rv.n * interval '7 hours', si.completed_at + rv.n * interval '7 hours'
  from seed_sessions s
  join public.interview_sessions si on si.id = s.id
  cross join lateral unnest(s.reviewers) with ordinality as rv (email, n)
  join public.video_responses v on v.session_id = s.id and v.is_submitted
  join public.questions q on q.id = v.question_id and not q.is_practice;

insert into public.session_decisions (session_id, campaign_id, decision, decided_by, note, created_at, updated_at)
select s.id, si.campaign_id, s.decision, c.owner_id, coalesce(s.decision_note, ''),
       si.completed_at + interval '1 day', si.completed_at + interval '1 day'
  from seed_sessions s
  join public.interview_sessions si on si.id = s.id
  join public.campaigns c on c.id = si.campaign_id
 where s.decision is not null;

-- =====================================================================================================================
-- audit trail (the audit triggers were off: write what they would have written, at the time it happened)
-- =====================================================================================================================

insert into public.audit_log (actor_id, action, entity, entity_id, campaign_id, details, created_at)
select si.invited_by, 'session.invited', 'interview_session', si.id, si.campaign_id,
       jsonb_build_object('status', 'invited', 'deadline', si.deadline, 'candidate_id', si.candidate_id), si.invited_at
  from public.interview_sessions si where si.id in (select id from seed_sessions)
union all
select ca.user_id, 'session.status_changed', 'interview_session', si.id, si.campaign_id,
       jsonb_build_object('from', 'invited', 'to', 'in_progress'), si.started_at
  from public.interview_sessions si join public.candidates ca on ca.id = si.candidate_id
 where si.id in (select id from seed_sessions) and si.started_at is not null
union all
select ca.user_id, 'session.status_changed', 'interview_session', si.id, si.campaign_id,
       jsonb_build_object('from', 'in_progress', 'to', 'completed'), si.completed_at
  from public.interview_sessions si join public.candidates ca on ca.id = si.candidate_id
 where si.id in (select id from seed_sessions) and si.status = 'completed'
union all
select null, 'session.status_changed', 'interview_session', si.id, si.campaign_id,
       jsonb_build_object('from', 'invited', 'to', 'expired'), si.expired_at
  from public.interview_sessions si where si.id in (select id from seed_sessions) and si.status = 'expired'
union all
select ca.user_id, 'session.status_changed', 'interview_session', si.id, si.campaign_id,
       jsonb_build_object('from', case when si.started_at is null then 'invited' else 'in_progress' end,
                          'to', 'withdrawn'), si.withdrawn_at
  from public.interview_sessions si join public.candidates ca on ca.id = si.candidate_id
 where si.id in (select id from seed_sessions) and si.status = 'withdrawn'
union all
select e.reviewer_id, 'evaluation.created', 'evaluation', e.id, e.campaign_id,
       jsonb_build_object('response_id', e.response_id, 'reviewer_id', e.reviewer_id, 'score', e.score), e.created_at
  from public.evaluations e where e.session_id in (select id from seed_sessions)
union all
select d.decided_by, 'decision.created', 'session_decision', d.id, d.campaign_id,
       jsonb_build_object('session_id', d.session_id, 'decision', d.decision), d.created_at
  from public.session_decisions d where d.session_id in (select id from seed_sessions)
order by 7;

-- Everyone who started accepted the campaign's privacy notice (version 1, the standard one) as they started, as
-- start_interview requires; the invited ones have not yet.
update public.interview_sessions
   set privacy_notice_version_accepted = 1, privacy_notice_accepted_at = started_at
 where id in (select id from seed_sessions) and started_at is not null;

set local session_replication_role = origin;

-- One live invitation link, so the candidate journey can be tried from the start: Ethan Walker's invitation to the
-- backend campaign. Only its sha256 is stored, as the invitations function stores it (README, "Demo data").
insert into private.invitation_tokens (session_id, token_hash, expires_at, created_at)
select si.id, extensions.digest('demo-invitation-for-ethan-walker-backend-01', 'sha256'), si.deadline, si.invited_at
  from public.interview_sessions si
 where si.id = (select id from seed_sessions where campaign_key = 'backend' and email = 'ethan.walker@demo.test');

-- =====================================================================================================================
-- checks: what the skipped triggers and foreign keys would have refused
-- =====================================================================================================================

do $$
declare
  fk record;
  orphans bigint;
begin
  -- Every single-column foreign key of the public schema resolves.
  for fk in
    select c.conrelid::regclass as tbl, a.attname as col, c.confrelid::regclass as ref, af.attname as refcol
      from pg_constraint c
      join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
      join pg_attribute af on af.attrelid = c.confrelid and af.attnum = c.confkey[1]
     where c.contype = 'f' and c.connamespace = 'public'::regnamespace and cardinality(c.conkey) = 1
  loop
    execute format('select count(*) from %s t where t.%I is not null and not exists '
                   '(select 1 from %s r where r.%I = t.%I)', fk.tbl, fk.col, fk.ref, fk.refcol, fk.col)
      into orphans;
    if orphans > 0 then
      raise exception 'seed: % rows of %.% point nowhere (%.%)', orphans, fk.tbl, fk.col, fk.ref, fk.refcol;
    end if;
  end loop;

  if exists (select 1 from public.campaigns where end_date <= start_date) then
    raise exception 'seed: a campaign ends before it starts';
  end if;
  if (select count(distinct status) from public.campaigns) <> 4 then
    raise exception 'seed: campaigns do not cover every status';
  end if;
  if (select count(distinct status) from public.interview_sessions) <> 5 then
    raise exception 'seed: sessions do not cover every state';
  end if;
  if exists (select 1 from public.interview_sessions
              where (status = 'in_progress' and (started_at is null or deadline <= now()))
                 or (status = 'completed' and completed_at is null)
                 or (status = 'expired' and expired_at is null)
                 or (status = 'withdrawn' and withdrawn_at is null)
                 or (status = 'invited' and (started_at is not null or deadline <= now()))) then
    raise exception 'seed: a session''s timestamps do not match its state';
  end if;
  if exists (select 1 from public.video_responses v
              where not exists (select 1 from public.question_reveals r
                                 where r.session_id = v.session_id and r.question_id = v.question_id)
                 or v.take_number > (select q.max_takes from public.questions q where q.id = v.question_id)) then
    raise exception 'seed: a take answers an unrevealed question or exceeds max_takes';
  end if;
  if exists (select 1 from public.profiles p join auth.users u on u.id = p.id
              where u.email like '%@demo.test' and p.role::text <> u.raw_app_meta_data ->> 'role') then
    raise exception 'seed: a profile was provisioned with the wrong role';
  end if;
end
$$;

commit;
