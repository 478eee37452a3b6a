// The campaign report's counts under concurrent writers: two connections write the same few sessions of one campaign
// at once (sessions move, questions are revealed, takes recorded, submitted and deleted, ratings given, changed and
// taken back), in transactions of one to three statements that sleep between statements so they overlap. Afterwards
// the report read from the counts equals the report recomputed from every row, and every kept count equals a
// recount of every session's parts. The writes are crafted as the superuser with triggers off (no API lets two
// writers race on one session at will); the counting triggers fire all the same (ENABLE ALWAYS). Triggers off turns
// the foreign keys off too, so the writes do what they would: a rating locks its take (the key check), and deleting a
// take deletes its ratings (the cascade); else a rating of a deleted take could be left behind, which no real write
// can make.
import assert from 'node:assert/strict';
import postgres from 'postgres';
import { createInterviewFixture } from './fixtures.ts';
import { env } from './support.ts';

/** A seeded PRNG (mulberry32), so that a failure reproduces. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STATUSES = ['invited', 'in_progress', 'completed', 'expired', 'withdrawn'] as const;
/** Lost races a real client would retry: deadlock, serialization failure, a take number or answer taken meanwhile. */
const RETRYABLE = new Set(['40P01', '40001', '23505']);

Deno.test({
  name: 'two connections writing one campaign at once leave the counts equal to a full recount',
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const world = await createInterviewFixture({ questions: 3 });
    const campaign = world.campaignId;
    const questions = world.questionIds;
    const reviewers = [world.manager.userId, world.candidate.userId];
    const url = env('SUPABASE_DB_URL');
    const connections = [0, 1].map(() => postgres(url, { max: 1, onnotice: () => {} }));
    const [a] = connections;
    const candidateIds: string[] = [];
    try {
      // Six more sessions to fight over, besides the fixture's.
      const added = await a`
        with c as (
          insert into public.candidates (email)
          select format('counts-%s-%s@test.local', ${crypto.randomUUID().slice(0, 8)}::text, g)
            from generate_series(1, 6) g
          returning id)
        insert into public.interview_sessions (campaign_id, candidate_id, deadline)
        select ${campaign}::uuid, c.id, now() + interval '5 days' from c
        returning id, candidate_id`;
      candidateIds.push(...added.map((r) => r.candidate_id));
      const sessions = [world.sessionId, ...added.map((r) => r.id as string)];

      const statement = (tx: postgres.TransactionSql, random: () => number) => {
        const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
        const session = pick(sessions);
        const question = pick(questions);
        const reviewer = pick(reviewers);
        switch (Math.floor(random() * 9)) {
          case 0: {
            const status = pick(STATUSES);
            return tx`
              update public.interview_sessions
                 set status = ${status},
                     started_at = case when ${status}::text = 'invited' then null
                                       else coalesce(started_at, now() - interval '1 hour') end,
                     completed_at = case when ${status}::text = 'completed' then now() end
               where id = ${session}`;
          }
          case 1:
            return tx`
              insert into public.question_reveals (session_id, question_id, campaign_id, revealed_at,
                                                   answer_opens_at, answer_closes_at)
              values (${session}, ${question}, ${campaign}, now() - make_interval(secs => ${random() * 600}),
                      now(), now() + interval '5 minutes')
              on conflict do nothing`;
          case 2:
          case 3:
            return tx`
              insert into public.video_responses (session_id, question_id, campaign_id, take_number, object_key,
                                                  content_type, duration_seconds, status, is_submitted)
              select ${session}::uuid, ${question}::uuid, ${campaign}::uuid, coalesce(max(v.take_number), 0) + 1,
                     ${`counts/${crypto.randomUUID()}.webm`}::text, 'video/webm', ${
              Math.round(random() * 12000) / 100
            }::numeric,
                     'uploaded', false
                from public.video_responses v where v.session_id = ${session} and v.question_id = ${question}`;
          case 4:
            return tx`
              update public.video_responses set is_submitted = true, submitted_at = now()
               where id = (select v.id from public.video_responses v
                            where v.session_id = ${session} and v.question_id = ${question}
                            order by v.take_number desc limit 1)
                 and not exists (select 1 from public.video_responses v
                                  where v.session_id = ${session} and v.question_id = ${question} and v.is_submitted)`;
          case 5:
          case 6:
            return tx`
              insert into public.evaluations (response_id, session_id, campaign_id, reviewer_id, score)
              select v.id, ${session}::uuid, ${campaign}::uuid, ${reviewer}::uuid, ${
              1 + Math.floor(random() * 5)
            }::smallint
                from public.video_responses v
               where v.session_id = ${session} and v.is_submitted
               order by v.question_id limit 1
                 for key share of v
              on conflict (response_id, reviewer_id) do update set score = excluded.score`;
          case 7:
            return tx`delete from public.evaluations where session_id = ${session} and reviewer_id = ${reviewer}`;
          default:
            return random() < 0.5
              ? tx`with gone as (
                     delete from public.video_responses
                      where id = (select v.id from public.video_responses v where v.session_id = ${session}
                                   order by v.created_at desc, v.id limit 1)
                     returning id)
                   delete from public.evaluations where response_id in (select id from gone)`
              : tx`delete from public.question_reveals where session_id = ${session} and question_id = ${question}`;
        }
      };

      let committed = 0;
      let retried = 0;
      const writer = async (sql: postgres.Sql, seed: number, transactions: number) => {
        const random = prng(seed);
        for (let i = 0; i < transactions; i++) {
          const txSeed = Math.floor(random() * 2 ** 32);
          for (let attempt = 1;; attempt++) {
            const replay = prng(txSeed);
            try {
              await sql.begin(async (tx) => {
                await tx`set local session_replication_role = replica`;
                const statements = 1 + Math.floor(replay() * 3);
                for (let k = 0; k < statements; k++) {
                  await statement(tx, replay);
                  await tx`select pg_sleep(${replay() * 0.004})`;
                }
              });
              committed++;
              break;
            } catch (error) {
              if (!RETRYABLE.has((error as { code?: string }).code ?? '') || attempt >= 20) throw error;
              retried++;
            }
          }
        }
      };
      await Promise.all(connections.map((sql, i) => writer(sql, 1000 + i, 80)));
      assert.equal(committed, 160);

      const [{ counted, recomputed }] = await a`
        select private.counted_campaign_report(${campaign}) - 'generated_at' as counted,
               private.compute_campaign_report(${campaign}) - 'generated_at' as recomputed`;
      assert.deepEqual(counted, recomputed, `the counts report what a recount does (${retried} retried)`);
      const off = await a`
        with kept as (
          select k.key, k.value from private.campaign_report_counts k where k.campaign_id = ${campaign} and k.key <> ''
        ),
        recount as (
          select e.key, sum(e.value::numeric) as value
            from private.session_report_parts_of(array(select s.id from public.interview_sessions s
                                                        where s.campaign_id = ${campaign})) f
            cross join lateral jsonb_each(f.parts) e
           group by e.key
          having sum(e.value::numeric) <> 0
        )
        select coalesce(k.key, r.key) as key, k.value::text as kept, r.value::text as recounted
          from kept k full join recount r on r.key = k.key
         where k.value is distinct from r.value`;
      assert.deepEqual([...off], [], 'every kept count equals a recount');
      // The run did write what it claims to (a test that cannot fail is a defect).
      const takes = (counted.questions as Array<{ avg_takes: number | null }>).filter((q) => q.avg_takes !== null);
      assert.ok(takes.length > 0, 'takes were counted');
      assert.ok(counted.reviewer_agreement.rated_responses > 0, 'ratings were counted');
    } finally {
      await a`delete from public.interview_sessions where campaign_id = ${campaign}`.catch(() => {});
      await a`delete from public.candidates where id = any (${candidateIds}::uuid[])`.catch(() => {});
      await Promise.all(connections.map((sql) => sql.end({ timeout: 5 })));
    }
  },
});
