// shared/database.types.ts is what `supabase gen types typescript --local` would write for the current migrations
// (stack/gen-types.ts runs the CLI's own generator, postgres-meta). A migration without a regenerated file fails
// here; the typed client below must also compile against it (`deno test` type-checks this file).
import assert from 'node:assert/strict';
import { createClient } from '@supabase/supabase-js';
import type { Database, Enums, Tables, TablesInsert } from '../shared/database.types.ts';
import { Constants } from '../shared/database.types.ts';
import { generateTypes, TYPES_FILE } from '../stack/gen-types.ts';
import { env, signedInClient } from './support.ts';

/** The first lines where two texts differ, with a little context, for a readable failure. */
function firstDifference(committed: string, fresh: string): string {
  const a = committed.split('\n');
  const b = fresh.split('\n');
  let i = 0;
  while (i < Math.max(a.length, b.length) && a[i] === b[i]) i++;
  const from = Math.max(0, i - 3);
  const show = (lines: string[], sign: string) =>
    lines.slice(from, i + 4).map((l, k) => `${from + k === i ? sign : ' '} ${from + k + 1}: ${l}`).join('\n');
  return `first difference at line ${i + 1}\n--- committed\n${show(a, '-')}\n+++ generated from the migrations\n${
    show(b, '+')
  }`;
}

Deno.test('types: shared/database.types.ts matches the schema the migrations build (else run `deno task types`)', async () => {
  const fresh = await generateTypes(env('SUPABASE_DB_URL'));
  const committed = await Deno.readTextFile(TYPES_FILE);
  if (committed !== fresh) {
    assert.fail(
      `shared/database.types.ts is stale: run \`deno task types\` and commit it.\n${firstDifference(committed, fresh)}`,
    );
  }
});

Deno.test('types: the typed client reads rows, RPC results and enums with the generated shapes', async () => {
  const { accessToken } = await signedInClient({ role: 'hiring_manager' });
  const supabase = createClient<Database>(env('SUPABASE_URL'), env('SUPABASE_ANON_KEY'), {
    auth: { persistSession: false, autoRefreshToken: false },
    global: { headers: { Authorization: `Bearer ${accessToken}` } },
  });
  const draft: TablesInsert<'campaigns'> = {
    title: 'Typed',
    start_date: new Date(Date.now() + 3600_000).toISOString(),
    end_date: new Date(Date.now() + 7200_000).toISOString(),
  };
  const created = await supabase.from('campaigns').insert(draft).select('id, status, questions(position)').single();
  assert.equal(created.error, null);
  const status: Enums<'campaign_status'> = created.data!.status;
  assert.ok(Constants.public.Enums.campaign_status.includes(status));
  const positions: number[] = created.data!.questions.map((q) => q.position);
  assert.deepEqual(positions, []);

  const row: Tables<'campaigns'> | null =
    (await supabase.from('campaigns').select().eq('id', created.data!.id).single()).data;
  assert.equal(row?.title, 'Typed');

  const interviews = await supabase.rpc('my_interviews');
  const sessionIds: string[] = (interviews.data ?? []).map((i) => i.session_id);
  assert.deepEqual(sessionIds, []);

  // Compile-time guarantees: a misspelt column or a wrong enum value does not type-check.
  // @ts-expect-error `titel` is not a column of campaigns
  const misspelt: TablesInsert<'campaigns'> = { titel: 'x', start_date: '', end_date: '' };
  // @ts-expect-error `paused` is not a campaign_status
  const wrongEnum: Enums<'campaign_status'> = 'paused';
  assert.ok(misspelt && wrongEnum);
});
