// The seed (supabase/seed.sql) as a newcomer meets it: the README's demo accounts sign in and see a lively, correctly
// scoped workspace. Guards the seed against silently breaking (it loads on every stack).
import assert from 'node:assert/strict';
import { anonClient } from './support.ts';

const PASSWORD = 'demo-password-1';

async function signIn(email: string) {
  const client = anonClient();
  const { error } = await client.auth.signInWithPassword({ email, password: PASSWORD });
  assert.equal(error, null, `${email}: ${error?.message}`);
  return client;
}

const counts = (values: string[]) =>
  Object.fromEntries([...new Set(values)].sort().map((v) => [v, values.filter((x) => x === v).length]));

Deno.test('demo: the demo recruiter sees campaigns in every status and sessions in every state', async () => {
  const supabase = await signIn('recruiter@demo.test');
  const me = await supabase.rpc('me');
  assert.deepEqual([me.data.role, me.data.first_name, me.data.company], ['hiring_manager', 'Dana', 'Northwind Labs']);

  const campaigns = await supabase.from('campaigns').select('title, status, questions(id)').order('title');
  assert.equal(campaigns.error, null);
  assert.deepEqual(counts(campaigns.data!.map((c) => c.status)), { active: 3, archived: 1, closed: 1, draft: 1 });
  assert.ok(campaigns.data!.every((c) => c.questions.length > 0), 'every campaign has questions');
  assert.ok(!campaigns.data!.some((c) => c.title.includes('Nurse')), "another company's campaigns stay invisible");

  const sessions = await supabase.from('interview_sessions').select('status');
  assert.deepEqual(counts(sessions.data!.map((s) => s.status)), {
    completed: 9,
    expired: 3,
    in_progress: 2,
    invited: 6,
    withdrawn: 2,
  });
  const evaluations = await supabase.from('evaluations').select('score');
  assert.ok(evaluations.data!.length >= 20, `${evaluations.data!.length} evaluations`);
  const decisions = await supabase.from('session_decisions').select('decision');
  assert.deepEqual(counts(decisions.data!.map((d) => d.decision)), { advance: 3, hold: 2, reject: 2 });
  const awaiting = await supabase.from('interview_sessions').select('id, session_decisions(id)')
    .eq('status', 'completed').is('session_decisions', null);
  assert.ok(awaiting.data!.length >= 2, 'some completed interviews still wait for a decision');
  const audit = await supabase.from('audit_log').select('action');
  assert.ok(audit.data!.length > 50, 'the audit trail has history');
});

Deno.test("demo: the demo recruiter's analytics dashboard has something in every tile", async () => {
  const supabase = await signIn('recruiter@demo.test');
  const { data, error } = await supabase.functions.invoke('analytics/dashboard', { method: 'GET' });
  assert.equal(error, null);
  assert.deepEqual(data.campaigns, { total: 6, active: 3, draft: 1, closed: 1, archived: 1 });
  assert.deepEqual(data.sessions, { total: 22, invited: 6, in_progress: 2, completed: 9, expired: 3, withdrawn: 2 });
  assert.ok(data.completion_rate > 0 && data.average_score >= 1 && data.evaluations > 0);
  assert.ok(data.awaiting_my_review > 0, 'completed interviews wait for her review');
  assert.deepEqual(
    data.needs_attention.map((c: { title: string }) => c.title),
    ['Product Designer'],
    'the designer campaign ends in five days with half its candidates not started',
  );
});

Deno.test('demo: the demo reviewer sees only the scores of answers they rated (blind review in the seed)', async () => {
  const supabase = await signIn('reviewer@demo.test');
  const mine = await supabase.rpc('me');
  const visible = await supabase.from('evaluations').select('response_id, reviewer_id');
  assert.equal(visible.error, null);
  const rated = new Set(visible.data!.filter((e) => e.reviewer_id === mine.data.id).map((e) => e.response_id));
  assert.ok(rated.size > 0);
  assert.ok(visible.data!.some((e) => e.reviewer_id !== mine.data.id), "others' scores of rated answers are visible");
  assert.ok(visible.data!.every((e) => rated.has(e.response_id)), 'nothing of unrated answers is visible');
});

Deno.test('demo: the demo candidate sees their three interviews; the other company sees its own data only', async () => {
  const candidate = await signIn('candidate@demo.test');
  const interviews = await candidate.rpc('my_interviews');
  assert.deepEqual(interviews.data.map((i: { status: string }) => i.status).sort(), [
    'completed',
    'in_progress',
    'invited',
  ]);
  const current = interviews.data.find((i: { status: string }) => i.status === 'in_progress');
  const revealed = await candidate.from('questions').select('prompt').eq('campaign_id', current.campaign_id);
  assert.equal(revealed.data!.length, 3, 'the questions revealed so far, and no more');

  const bluebird = await signIn('morgan.lee@demo.test');
  const theirs = await bluebird.from('campaigns').select('title');
  assert.deepEqual(theirs.data!.map((c) => c.title).sort(), [
    'Clinical Data Manager',
    'Patient Experience Coordinator',
    'Registered Nurse, Night Shift',
  ]);

  const admin = await signIn('admin@demo.test');
  const all = await admin.from('campaigns').select('id').like('title', '%');
  assert.ok(all.data!.length >= 9, 'the admin sees both companies');
});

Deno.test("demo: the README's invitation link previews and activates Ethan Walker's account", async () => {
  const token = 'demo-invitation-for-ethan-walker-backend-01';
  const anon = anonClient();
  const preview = await anon.functions.invoke(`activation/${token}`, { method: 'GET' });
  assert.equal(preview.error, null);
  assert.equal(preview.data.campaign_title, 'Senior Backend Engineer');
  assert.equal(preview.data.company, 'Northwind Labs');

  const activated = await anon.functions.invoke('activation', { body: { token, password: 'ethan-demo-password-1' } });
  assert.equal(activated.error, null);
  await anon.auth.setSession(activated.data.session);
  const interviews = await anon.rpc('my_interviews');
  assert.deepEqual(interviews.data.map((i: { title: string; status: string }) => [i.title, i.status]).sort(), [
    ['Data Analyst Internship 2026', 'expired'],
    ['Senior Backend Engineer', 'invited'],
  ]);
});
