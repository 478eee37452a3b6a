// A reveal's copies of its limits (question_reveals.max_takes, max_video_bytes) under two writers at once: a candidate
// revealing a question while the recruiter grants extra takes, changes the question's takes or the campaign's size
// cap. Each write is held open in its own transaction so that the second one runs while the first is uncommitted, in
// both orders; the second must wait for the first (it is seen waiting on a lock), and after both commit the reveal
// carries the new values. Without the session lock that a refresh takes, the reveal would keep the old ones.
// (Every kind of write, one at a time: supabase/tests/database/81-reveals-carry-the-limits-of-their-sources.)
import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import postgres from 'postgres';
import { claimsStatement, type DbClaims } from '../shared/db.ts';
import { createInterviewFixture, type SignedIn } from './fixtures.ts';
import { env, eventually } from './support.ts';

type Write = { name: string; run: (tx: postgres.ReservedSql, ids: Ids) => Promise<unknown>; expected: Limits };
type Ids = { sessionId: string; campaignId: string; questionId: string };
type Limits = { max_takes: number; max_video_bytes: number };

const TAKES = 3;
const CAP = 500 * 1024 * 1024;

/** The recruiter's writes, each a change to one source of the reveal's limits. */
const WRITES: Write[] = [
  {
    name: 'extra takes granted',
    run: (tx, ids) =>
      tx`insert into public.session_accommodations (session_id, extra_takes) values (${ids.sessionId}, 2)`,
    expected: { max_takes: TAKES + 2, max_video_bytes: CAP },
  },
  {
    name: "the question's takes changed",
    run: (tx, ids) => tx`update public.questions set max_takes = 7 where id = ${ids.questionId}`,
    expected: { max_takes: 7, max_video_bytes: CAP },
  },
  {
    name: "the campaign's cap changed",
    run: (tx, ids) => tx`update public.campaigns set max_video_bytes = 1000000 where id = ${ids.campaignId}`,
    expected: { max_takes: TAKES, max_video_bytes: 1_000_000 },
  },
];

/** A connection of its own in an open transaction as the signed-in user, as PostgREST would run their request. */
async function openAs(sql: postgres.Sql, user: SignedIn): Promise<postgres.ReservedSql> {
  const tx = await sql.reserve();
  await tx`begin`;
  await tx.unsafe(claimsStatement(decodeJwt(user.accessToken) as DbClaims));
  return tx;
}

async function backendPid(tx: postgres.ReservedSql): Promise<number> {
  const [{ pid }] = await tx<{ pid: number }[]>`select pg_backend_pid() as pid`;
  return pid;
}

/** Resolves once the backend is waiting for a lock: the write behind it cannot go on until the other commits. */
function waitingForALock(observer: postgres.Sql, pid: number): Promise<boolean> {
  return eventually(async () => {
    const [row] = await observer`select wait_event_type from pg_stat_activity where pid = ${pid}`;
    return row?.wait_event_type === 'Lock';
  });
}

for (const write of WRITES) {
  for (const revealFirst of [true, false]) {
    Deno.test({
      name: `a reveal and ${write.name} at once (${revealFirst ? 'the reveal' : 'the change'} first): ` +
        'the reveal carries the new limits',
      sanitizeResources: false,
      sanitizeOps: false,
      fn: async () => {
        const world = await createInterviewFixture({ maxTakes: TAKES, reveal: false });
        const ids = { sessionId: world.sessionId, campaignId: world.campaignId, questionId: world.questionIds[0] };
        const sql = postgres(env('SUPABASE_DB_URL'), { max: 3, onnotice: () => {} });
        try {
          const candidate = await openAs(sql, world.candidate);
          const recruiter = await openAs(sql, world.manager);
          const reveal = () => candidate`select public.reveal_next_question(${ids.sessionId})`;
          const [first, firstWrite, second, secondWrite] = revealFirst
            ? [candidate, reveal, recruiter, () => write.run(recruiter, ids)]
            : [recruiter, () => write.run(recruiter, ids), candidate, reveal];
          const secondPid = await backendPid(second);

          await firstWrite();
          const pending = secondWrite();
          pending.catch(() => {});
          assert.ok(await waitingForALock(sql, secondPid));
          await first`commit`;
          await pending;
          await second`commit`;
          first.release();
          second.release();

          const [limits] = await sql<Limits[]>`
            select max_takes, max_video_bytes from public.question_reveals
             where session_id = ${ids.sessionId} and question_id = ${ids.questionId}`;
          assert.deepEqual({ ...limits, max_video_bytes: Number(limits.max_video_bytes) }, write.expected);
        } finally {
          await sql.end({ timeout: 5 });
        }
      },
    });
  }
}
