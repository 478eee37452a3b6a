// The benchmark's dataset, generated inside Postgres with generate_series (no row-by-row inserts from the client).
//
// Shape (full scale): 1,000 hiring managers, 10,000 campaigns of 4 questions, 100,000 sessions, 400,000 responses,
// 200,000 evaluations; campaign #C (owned by manager 2) has 10,000 sessions, manager 1 owns 200 campaigns, manager 3
// is a `reviewer` collaborator on the big campaign and 100 others. Every user exists in auth.users so foreign keys
// hold. Triggers (audit, state machine, validation) are off during generation (`session_replication_role = replica`,
// superuser only), which is why every derived column (campaign_id, take_number, timestamps) is written here. The
// campaign report's counting triggers are ENABLE ALWAYS and still run (each insert statement recounts the sessions it
// touched), so their tables are vacuumed and analyzed with the others afterwards.
//
// Two small extra campaigns serve the HTTP parts: `uploads` (manager 4; U candidates with an in-progress session and
// a revealed question whose answer window is open) and `invites` (manager 5, empty, for the bulk invitation).
// The sign-in measures' invitations are made one by one afterwards (pendingInvitations): each needs a real GoTrue
// account.
import type postgres from 'postgres';
import type { AuthAdmin } from '../../shared/auth-admin.ts';
import { createPlaceholderUser } from '../../functions/invitations/placeholders.ts';
import { newToken } from '../../functions/invitations/tokens.ts';

export interface Scale {
  managers: number;
  campaigns: number;
  sessions: number;
  responses: number;
  evaluations: number;
  /** Sessions of the one big campaign (included in `sessions`). */
  bigCampaignSessions: number;
  /** Campaigns of the dashboard's manager (manager 1). */
  dashboardCampaigns: number;
  /** Candidates that have an auth user (the first ones); the HTTP upload sessions use some of them. */
  candidateUsers: number;
  /** In-progress sessions with an open answer window, for the uploads endpoint. */
  uploadSessions: number;
}

export const FULL_SCALE: Scale = {
  managers: 1_000,
  campaigns: 10_000,
  sessions: 100_000,
  responses: 400_000,
  evaluations: 200_000,
  bigCampaignSessions: 10_000,
  dashboardCampaigns: 200,
  candidateUsers: 1_000,
  uploadSessions: 256,
};

export const SMOKE_SCALE: Scale = {
  managers: 6,
  campaigns: 24,
  sessions: 300,
  responses: 900,
  evaluations: 400,
  bigCampaignSessions: 60,
  dashboardCampaigns: 6,
  candidateUsers: 20,
  uploadSessions: 8,
};

/**
 * The same dataset with every other tenant's data ten times smaller, for the growth table: the measured users keep
 * their own share (the dashboard's manager still owns `dashboardCampaigns` campaigns of about as many sessions each),
 * and the big campaign shrinks ten times with the rest. A per-user query should take as long at both sizes; a
 * campaign's report at most ten times as long at the full size.
 */
export function tenthOf(s: Scale): Scale {
  const tenth = (x: number, min: number) => Math.max(min, Math.round(x / 10));
  const managers = tenth(s.managers, 6);
  return {
    ...s,
    managers,
    campaigns: Math.max(tenth(s.campaigns, 2 * s.dashboardCampaigns), s.dashboardCampaigns + 2),
    sessions: tenth(s.sessions, 60),
    responses: tenth(s.responses, 120),
    evaluations: tenth(s.evaluations, 40),
    bigCampaignSessions: tenth(s.bigCampaignSessions, 6),
  };
}

/** The ids the measurements need, read back after generation. */
export interface Actors {
  tag: string;
  dashboardManager: string;
  bigCampaignOwner: string;
  reviewer: string;
  uploadsOwner: string;
  inviter: string;
  bigCampaign: string;
  inviteCampaign: string;
  candidateUser: string;
  uploads: Array<{ userId: string; email: string; sessionId: string; questionId: string }>;
}

export interface Generated {
  actors: Actors;
  seconds: number;
  steps: Array<{ step: string; ms: number }>;
  counts: Record<string, number>;
}

const BENCH_DOMAIN = 'bench.test';

/** Email prefix of every user and candidate of a run (what cleanUp deletes). */
export const emailPrefix = (tag: string) => `bench-${tag}-`;

function steps(s: Scale, tag: string): Array<[string, string]> {
  const prefix = emailPrefix(tag);
  const C = s.campaigns;
  const K = Math.max(
    s.bigCampaignSessions,
    Math.ceil((s.sessions - s.bigCampaignSessions) / 2),
    s.candidateUsers,
    s.uploadSessions,
  );
  const users = (table: string, role: string) => `
    insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
                            raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
    select '00000000-0000-0000-0000-000000000000', t.user_id, 'authenticated', 'authenticated', t.email, '', now(),
           '{"provider": "email", "providers": ["email"], "role": "${role}"}'::jsonb, '{}'::jsonb, now(), now()
      from ${table} t where t.user_id is not null`;
  return [
    [
      'settings',
      `
      set session_replication_role = replica;
      set work_mem = '256MB';
      set maintenance_work_mem = '256MB';
      set synchronous_commit = off`,
    ],
    [
      'managers',
      `
      create temp table b_hm as
        select g as n, gen_random_uuid() as user_id, format('${prefix}hm%s@${BENCH_DOMAIN}', g) as email
          from generate_series(1, ${s.managers}) g;
      create unique index on b_hm (n);
      ${users('b_hm', 'hiring_manager')};
      insert into public.profiles (id, role, email, first_name, last_name)
        select user_id, 'hiring_manager', email, 'Manager', n::text from b_hm;
      insert into public.hiring_managers (id, company, department)
        select user_id, format('Company %s', n % 97), 'Engineering' from b_hm;
      create temp table b_org as select n, user_id, gen_random_uuid() as id from b_hm;
      insert into public.organizations (id, name) select id, format('Company %s', n) from b_org;
      insert into public.organization_members (organization_id, user_id, role)
        select id, user_id, 'owner' from b_org`,
    ],
    [
      'campaigns',
      `
      create temp table b_campaign as
        select g as n, gen_random_uuid() as id,
               case when g <= ${s.dashboardCampaigns} then 1
                    when g = ${C} then 2
                    else 3 + ((g - ${s.dashboardCampaigns} - 1) % (${s.managers} - 2)) end as owner_n,
               case when g = ${C} then 'active'
                    when g % 20 = 0 then 'draft' when g % 20 = 1 then 'closed' when g % 20 = 2 then 'archived'
                    else 'active' end::public.campaign_status as status
          from generate_series(1, ${C}) g;
      alter table b_campaign add column end_date timestamptz;
      update b_campaign set end_date = case
        when status = 'active' then now() + make_interval(days => n % 45, hours => 1 + n % 20)
        when status = 'draft' then now() + interval '60 days'
        else now() - make_interval(days => 1 + n % 30) end;
      create unique index on b_campaign (n);
      insert into public.campaigns (id, owner_id, organization_id, title, description, status, start_date, end_date,
                                    created_at)
        select c.id, h.user_id, o.id, format('Campaign %s', c.n), 'Generated for the benchmark', c.status,
               case when c.status = 'draft' then now() + interval '1 day' else now() - interval '120 days' end,
               c.end_date, now() - interval '120 days'
          from b_campaign c join b_hm h on h.n = c.owner_n join b_org o on o.n = c.owner_n;
      create temp table b_question as
        select c.n as campaign_n, c.id as campaign_id, p as position, gen_random_uuid() as id
          from b_campaign c, generate_series(1, 4) p;
      create unique index on b_question (campaign_n, position);
      insert into public.questions (id, campaign_id, position, prompt, think_time_seconds, answer_time_seconds,
                                    max_takes)
        select id, campaign_id, position, format('Question %s', position), 30, 120, 3 from b_question;
      -- Manager 3 reviews the big campaign and 100 others; every third campaign has a collaborator too.
      insert into public.campaign_collaborators (campaign_id, user_id, role)
        select c.id, (select user_id from b_hm where n = 3), 'reviewer'
          from b_campaign c
         where c.owner_n <> 3 and (c.n = ${C} or c.n between ${s.dashboardCampaigns + 1} and ${
        s.dashboardCampaigns + 100
      });
      insert into public.campaign_collaborators (campaign_id, user_id, role)
        select c.id, h.user_id, case when c.n % 6 = 0 then 'editor' else 'reviewer' end::public.collaborator_role
          from b_campaign c join b_hm h on h.n = 1 + (c.owner_n % ${s.managers})
         where c.n % 3 = 0 and h.n <> c.owner_n and h.n <> 3
        on conflict do nothing;
      -- A campaign is shared only within its organization: each collaborator is a member of the owner's.
      insert into public.organization_members (organization_id, user_id, role)
        select distinct c.organization_id, cc.user_id, 'member'::public.organization_role
          from public.campaign_collaborators cc join public.campaigns c on c.id = cc.campaign_id
        on conflict do nothing`,
    ],
    [
      'candidates',
      `
      create temp table b_cand as
        select g as n, gen_random_uuid() as id,
               case when g <= ${s.candidateUsers} then gen_random_uuid() end as user_id,
               format('${prefix}cand%s@${BENCH_DOMAIN}', g) as email
          from generate_series(1, ${K}) g;
      create unique index on b_cand (n);
      ${users('b_cand', 'candidate')};
      insert into public.profiles (id, role, email, first_name, last_name)
        select user_id, 'candidate', email, 'Candidate', n::text from b_cand where user_id is not null;
      insert into public.candidates (id, user_id, email, first_name, last_name, created_at)
        select id, user_id, email, 'Candidate', n::text, now() - make_interval(mins => n) from b_cand`,
    ],
    [
      'sessions',
      `
      create temp table b_session as
        select g as n, gen_random_uuid() as id,
               case when g <= ${s.bigCampaignSessions} then ${C}
                    else 1 + ((g - ${s.bigCampaignSessions} - 1) % (${C} - 1)) end as campaign_n,
               case when g <= ${s.bigCampaignSessions} then g
                    else 1 + ((g - ${s.bigCampaignSessions} - 1) % ${K}) end as cand_n,
               abs(hashint4(g)) % 100 as h
          from generate_series(1, ${s.sessions}) g;
      alter table b_session
        add column status public.session_status,
        add column invited_at timestamptz,
        add column started_at timestamptz;
      update b_session set
        status = case when h < 25 then 'invited' when h < 35 then 'in_progress' when h < 85 then 'completed'
                      when h < 95 then 'expired' else 'withdrawn' end::public.session_status,
        invited_at = now() - make_interval(days => 1 + n % 90, mins => (h * 7) % 1440);
      update b_session set started_at = invited_at + make_interval(hours => 1 + h % 48)
       where status in ('in_progress', 'completed') or (status in ('expired', 'withdrawn') and h % 2 = 0);
      insert into public.interview_sessions (id, campaign_id, candidate_id, status, deadline, invited_by, invited_at,
                                             started_at, completed_at, expired_at, withdrawn_at, created_at)
        select s.id, c.id, ca.id, s.status,
               case when s.status in ('invited', 'in_progress') then greatest(c.end_date, now() + interval '1 day')
                    else s.invited_at + interval '14 days' end,
               h.user_id, s.invited_at, s.started_at,
               case when s.status = 'completed' then s.started_at + make_interval(mins => 5 + (s.h * 13) % 40) end,
               case when s.status = 'expired' then s.invited_at + interval '14 days' end,
               case when s.status = 'withdrawn' then coalesce(s.started_at, s.invited_at) + interval '1 day' end,
               s.invited_at
          from b_session s
          join b_campaign c on c.n = s.campaign_n
          join b_cand ca on ca.n = s.cand_n
          join b_hm h on h.n = c.owner_n
        on conflict do nothing`,
    ],
    [
      'reveals',
      `
      create temp table b_started as
        select row_number() over (order by s.n) as j, s.id, s.campaign_n, s.started_at, s.status
          from b_session s
         where s.started_at is not null and exists (select 1 from public.interview_sessions i where i.id = s.id);
      create unique index on b_started (j);
      create temp table b_count as select count(*)::bigint as n from b_started;
      -- Session j records takes for rounds k = 0..K_j-1 (question k % 4 + 1, take k / 4 + 1).
      alter table b_started add column rounds bigint;
      update b_started set rounds = (${s.responses} - j) / (select n from b_count) + 1;
      insert into public.question_reveals (session_id, question_id, campaign_id, revealed_at, answer_opens_at,
                                           answer_closes_at)
        select st.id, q.id, q.campaign_id, st.started_at + make_interval(mins => p * 3),
               st.started_at + make_interval(mins => p * 3, secs => 30),
               st.started_at + make_interval(mins => p * 3, secs => 150)
          from b_started st
          cross join lateral generate_series(1, least(4, st.rounds)::integer) p
          join b_question q on q.campaign_n = st.campaign_n and q.position = p`,
    ],
    [
      'responses',
      `
      create temp table b_resp as
        select r, st.id as session_id, st.campaign_n, st.started_at, k,
               (k % 4 + 1)::integer as position, (k / 4 + 1)::integer as take,
               k >= st.rounds - 4
                 and not (st.status in ('expired', 'withdrawn', 'in_progress') and k % 4 + 1 = least(4, st.rounds))
                 as submitted
          from generate_series(1, ${s.responses}) r
          cross join b_count bc
          cross join lateral (select (r - 1) / bc.n as k, (r - 1) % bc.n + 1 as j) x
          join b_started st on st.j = x.j;
      insert into public.video_responses (id, session_id, question_id, campaign_id, take_number, object_key,
                                          content_type, size_bytes, duration_seconds, status, is_submitted,
                                          created_at, uploaded_at, submitted_at)
        select gen_random_uuid(), b.session_id, q.id, q.campaign_id, b.take,
               format('bench/%s/%s.webm', b.session_id, b.r), 'video/webm', 1000000 + b.r % 5000000,
               20 + b.r % 100, 'uploaded', b.submitted,
               b.started_at + make_interval(mins => b.position * 3, secs => 40 + b.take * 10),
               b.started_at + make_interval(mins => b.position * 3, secs => 45 + b.take * 10),
               case when b.submitted then b.started_at + make_interval(mins => b.position * 3, secs => 50 + b.take * 10) end
          from b_resp b
          join b_question q on q.campaign_n = b.campaign_n and q.position = b.position`,
    ],
    [
      'evaluations',
      `
      create temp table b_sub as
        select row_number() over (order by hashint4(abs(hashtext(v.id::text)))) as k, v.id, v.session_id,
               v.campaign_id, c.owner_id,
               (select cc.user_id from public.campaign_collaborators cc
                 where cc.campaign_id = v.campaign_id order by cc.user_id limit 1) as collaborator
          from public.video_responses v
          join public.campaigns c on c.id = v.campaign_id
         where v.is_submitted and v.campaign_id in (select id from b_campaign);
      insert into public.evaluations (response_id, session_id, campaign_id, reviewer_id, score, created_at)
        select id, session_id, campaign_id, owner_id, 1 + abs(hashint4(k::integer)) % 5, now() - interval '1 day'
          from b_sub
         where k <= ${Math.round(s.evaluations * 0.75)};
      insert into public.evaluations (response_id, session_id, campaign_id, reviewer_id, score, created_at)
        select id, session_id, campaign_id, collaborator,
               least(5, greatest(1, 1 + abs(hashint4(k::integer)) % 5 + abs(hashint4(k::integer + 7)) % 3 - 1)),
               now() - interval '1 day'
          from b_sub
         where collaborator is not null
         order by k
         limit ${s.evaluations - Math.round(s.evaluations * 0.75)}`,
    ],
    [
      'http fixtures',
      `
      insert into public.campaigns (id, owner_id, organization_id, title, status, start_date, end_date, max_takes)
        select gen_random_uuid(), h.user_id, o.id, x.title, 'active', now() - interval '1 day',
               now() + interval '30 days', 10
          from b_hm h join b_org o on o.n = h.n, (values (4, 'Uploads benchmark'), (5, 'Invitations benchmark')) x(n, title)
         where h.n = x.n;
      insert into public.questions (campaign_id, position, prompt, think_time_seconds, answer_time_seconds, max_takes)
        select c.id, 1, 'Record anything', 0, 1800, 10 from public.campaigns c
          join b_hm h on h.user_id = c.owner_id and h.n = 4 where c.title = 'Uploads benchmark';
      create temp table b_upload as
        select ca.n, ca.user_id, ca.email, gen_random_uuid() as session_id,
               (select c.id from public.campaigns c join b_hm h on h.user_id = c.owner_id and h.n = 4
                 where c.title = 'Uploads benchmark') as campaign_id
          from b_cand ca where ca.n <= ${s.uploadSessions} and ca.user_id is not null;
      insert into public.interview_sessions (id, campaign_id, candidate_id, status, deadline, invited_at, started_at)
        select u.session_id, u.campaign_id, ca.id, 'in_progress', now() + interval '30 days', now() - interval '1 hour',
               now() - interval '10 minutes'
          from b_upload u join b_cand ca on ca.n = u.n;
      insert into public.question_reveals (session_id, question_id, campaign_id, revealed_at, answer_opens_at,
                                           answer_closes_at)
        select u.session_id, q.id, u.campaign_id, now(), now(), now() + interval '6 hours'
          from b_upload u join public.questions q on q.campaign_id = u.campaign_id`,
    ],
    ['finish', `set session_replication_role = origin`],
  ];
}

/** Generates the dataset on one connection (temp tables live in its session) and analyzes the tables. */
export async function generate(db: postgres.Sql, scale: Scale, tag: string): Promise<Generated> {
  const started = performance.now();
  const timings: Array<{ step: string; ms: number }> = [];
  const conn = await db.reserve();
  try {
    for (const [step, text] of steps(scale, tag)) {
      const t0 = performance.now();
      await conn.unsafe(text);
      timings.push({ step, ms: Math.round(performance.now() - t0) });
    }
    const t0 = performance.now();
    await conn.unsafe(`vacuum analyze auth.users, public.profiles, public.hiring_managers, public.organizations,
      public.organization_members, public.candidates,
      public.campaigns, public.campaign_collaborators, public.questions, public.interview_sessions,
      public.question_reveals, public.video_responses, public.evaluations,
      private.session_report_parts, private.campaign_report_counts`);
    timings.push({ step: 'vacuum analyze', ms: Math.round(performance.now() - t0) });
    const seconds = (performance.now() - started) / 1000;

    const hm = async (n: number) => (await conn`select user_id from b_hm where n = ${n}`)[0].user_id as string;
    const [big] = await conn`select id from b_campaign where n = ${scale.campaigns}`;
    const [invite] = await conn`
      select c.id from public.campaigns c join b_hm h on h.user_id = c.owner_id and h.n = 5
       where c.title = 'Invitations benchmark'`;
    // A candidate user with several sessions (the first candidates are in the big campaign and elsewhere).
    const [candidate] = await conn`
      select ca.user_id from b_cand ca
       where ca.user_id is not null and ca.n > ${scale.uploadSessions}
       order by (select count(*) from public.interview_sessions s where s.candidate_id = ca.id) desc, ca.n
       limit 1`;
    const uploads = await conn`
      select u.user_id, u.email, u.session_id, q.id as question_id
        from b_upload u join public.questions q on q.campaign_id = u.campaign_id order by u.n`;
    // The run's own rows (the stack may hold seed data or other tests' rows too).
    const [counts] = await conn`
      select (select count(*)::integer from b_hm) as hiring_managers,
             (select count(*)::integer from b_campaign) as campaigns,
             (select count(*)::integer from public.interview_sessions s
               where s.campaign_id in (select id from b_campaign)) as interview_sessions,
             (select count(*)::integer from public.video_responses v
               where v.campaign_id in (select id from b_campaign)) as video_responses,
             (select count(*)::integer from public.evaluations e
               where e.campaign_id in (select id from b_campaign)) as evaluations,
             (select count(*)::integer from public.question_reveals r
               where r.campaign_id in (select id from b_campaign)) as question_reveals`;
    const [{ n: bigSessions }] = await conn`
      select count(*)::integer as n from public.interview_sessions where campaign_id = ${big.id}`;
    const [{ n: dashboardCampaigns }] = await conn`
      select count(*)::integer as n from public.campaigns where owner_id = (select user_id from b_hm where n = 1)`;
    Object.assign(counts, { big_campaign_sessions: bigSessions, dashboard_campaigns: dashboardCampaigns });
    return {
      seconds,
      steps: timings,
      counts,
      actors: {
        tag,
        dashboardManager: await hm(1),
        bigCampaignOwner: await hm(2),
        reviewer: await hm(3),
        uploadsOwner: await hm(4),
        inviter: await hm(5),
        bigCampaign: big.id,
        inviteCampaign: invite.id,
        candidateUser: candidate.user_id,
        uploads: uploads.map((u) => ({
          userId: u.user_id,
          email: u.email,
          sessionId: u.session_id,
          questionId: u.question_id,
        })),
      },
    };
  } finally {
    await conn.unsafe('discard temp').catch(() => {});
    conn.release();
  }
}

/**
 * Deletes everything a run created (for runs on a shared stack, such as the smoke test): candidates and users by
 * email prefix; foreign keys cascade to campaigns, sessions, responses and evaluations.
 */
export async function cleanUp(db: postgres.Sql, tag: string): Promise<void> {
  const pattern = `${emailPrefix(tag)}%`;
  // The invitations function may still be sending the bulk run's emails (its outbox rows reference the sessions):
  // a deadlock with it is retried.
  for (let attempt = 1;; attempt++) {
    try {
      await db.begin(async (tx) => {
        await tx`delete from public.candidates where email like ${pattern}`;
        await tx`delete from auth.users where email like ${pattern}`;
      });
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '40P01' || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

export interface PendingInvitation {
  email: string;
  token: string;
}

/**
 * `count` invitations to the invitations campaign as the invitations function leaves them, made directly (as the
 * activation tests make them): a placeholder account through GoTrue's admin API, its candidate row, a session and a
 * live token whose hash is stored. `label` names the addresses: `bench-<tag>-<label>-<i>@bench.test`.
 */
export async function pendingInvitations(
  db: postgres.Sql,
  auth: AuthAdmin,
  actors: Actors,
  label: string,
  count: number,
): Promise<PendingInvitation[]> {
  const invitations: PendingInvitation[] = [];
  for (let i = 0; i < count; i++) {
    const email = `${emailPrefix(actors.tag)}${label}-${i}@${BENCH_DOMAIN}`;
    const account = await createPlaceholderUser(auth, { email });
    if (!account.created) throw new Error(`${email} has an account already`);
    const [candidate] = await db`
      insert into public.candidates (email, first_name, last_name) values (${email}, 'Bench', ${label})
      on conflict (lower(email)) do update set email = excluded.email
      returning id`;
    const [session] = await db`
      insert into public.interview_sessions (campaign_id, candidate_id, invited_by)
      values (${actors.inviteCampaign}, ${candidate.id}, ${actors.inviter})
      returning id, deadline`;
    const token = newToken();
    await db`
      insert into private.invitation_tokens (session_id, token_hash, expires_at)
      values (${session.id}, sha256(convert_to(${token}, 'UTF8')), ${session.deadline})`;
    invitations.push({ email, token });
  }
  return invitations;
}
