import assert from 'node:assert/strict';
import type { Claims } from '../../shared/auth.ts';
import { createLogger } from '../../shared/log.ts';
import { createTestAuth } from '../../shared/testing.ts';
import { buildAnalyticsApp, exportCsv } from './app.ts';
import type { CampaignExport, CampaignReport, Dashboard } from './schemas.ts';
import type { AnalyticsStore, DashboardOptions } from './store.ts';

const CAMPAIGN = '6f1c1e52-3a4b-4c5d-8e9f-0a1b2c3d4e5f';

const exportData: CampaignExport = {
  campaign: { id: CAMPAIGN, title: 'Backend, "senior"' },
  questions: [{ question_id: crypto.randomUUID(), position: 1, prompt: 'Why?' }, {
    question_id: crypto.randomUUID(),
    position: 2,
    prompt: 'How?',
  }],
  rows: [{
    session_id: 's1',
    candidate_id: 'c1',
    email: 'ada@example.test',
    first_name: '=cmd',
    last_name: 'Lovelace, A.',
    status: 'completed',
    invited_at: '2026-11-20T08:00:00+00:00',
    started_at: '2026-11-21T08:00:00+00:00',
    completed_at: '2026-11-21T08:10:00+00:00',
    expired_at: null,
    withdrawn_at: null,
    deadline: '2026-12-01T00:00:00+00:00',
    time_to_complete_seconds: 600,
    answered: 2,
    evaluations: 3,
    average_score: 3.6667,
    decision: 'advance',
    question_scores: [3, 5],
  }],
};

/** A store that records who asked for what and answers canned data; null for any other campaign. */
function fakeStore() {
  const calls: Array<{ what: string; sub: string; arg: unknown }> = [];
  const store: AnalyticsStore = {
    campaignReport: (claims: Claims, id: string) => {
      calls.push({ what: 'report', sub: claims.sub, arg: id });
      return Promise.resolve(id === CAMPAIGN ? ({ campaign: { id } } as unknown as CampaignReport) : null);
    },
    dashboard: (claims: Claims, options: DashboardOptions) => {
      calls.push({ what: 'dashboard', sub: claims.sub, arg: options });
      return Promise.resolve({ campaigns: { total: 1 } } as unknown as Dashboard);
    },
    campaignExport: (claims: Claims, id: string) => {
      calls.push({ what: 'export', sub: claims.sub, arg: id });
      return Promise.resolve(id === CAMPAIGN ? exportData : null);
    },
  };
  return { store, calls };
}

async function setup() {
  const auth = await createTestAuth();
  const { store, calls } = fakeStore();
  const app = buildAnalyticsApp({
    config: auth.config,
    store,
    logger: createLogger({ level: 'error', sink: () => {} }),
  });
  const sub = crypto.randomUUID();
  const token = await auth.userToken({ sub, user_role: 'hiring_manager' });
  const get = (path: string, bearer: string | null = token) =>
    app.request(`/analytics${path}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
  return { auth, app, calls, sub, get };
}

Deno.test('every analytics route needs a signed-in user: 401 missing_token without one, even with the anon key', async () => {
  const { get, auth, calls } = await setup();
  for (const path of [`/campaigns/${CAMPAIGN}`, `/campaigns/${CAMPAIGN}/export.csv`, '/dashboard']) {
    for (const bearer of [null, auth.anonKey]) {
      const res = await get(path, bearer);
      assert.equal(res.status, 401, path);
      assert.equal((await res.json()).error.code, 'missing_token');
    }
  }
  assert.equal(calls.length, 0, 'nothing reached the database');
});

Deno.test('the report is asked for as the token subject and answered as JSON', async () => {
  const { get, calls, sub } = await setup();
  const res = await get(`/campaigns/${CAMPAIGN}`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { campaign: { id: CAMPAIGN } });
  assert.equal(res.headers.get('cache-control'), 'private, no-store');
  assert.deepEqual(calls, [{ what: 'report', sub, arg: CAMPAIGN }]);
});

Deno.test('a campaign the caller cannot see is a 404 campaign_not_found, for the report and the export', async () => {
  const { get } = await setup();
  const other = crypto.randomUUID();
  for (const path of [`/campaigns/${other}`, `/campaigns/${other}/export.csv`]) {
    const res = await get(path);
    assert.equal(res.status, 404, path);
    assert.equal((await res.json()).error.code, 'campaign_not_found');
  }
});

Deno.test('a campaign id that is not a uuid is a 400 validation_failed', async () => {
  const { get, calls } = await setup();
  const res = await get('/campaigns/not-a-uuid');
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error.code, 'validation_failed');
  assert.equal(calls.length, 0);
});

Deno.test('the export is a CSV attachment with one row per candidate and a score column per question', async () => {
  const { get } = await setup();
  const res = await get(`/campaigns/${CAMPAIGN}/export.csv`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.match(
    res.headers.get('content-disposition') ?? '',
    /^attachment; filename="backend-senior-\d{4}-\d{2}-\d{2}\.csv"/,
  );
  const lines = (await res.text()).split('\r\n');
  assert.equal(lines.length, 3, 'header, one row, and the final CRLF');
  assert.equal(
    lines[0],
    'session_id,candidate_id,email,first_name,last_name,status,invited_at,started_at,completed_at,expired_at,' +
      'withdrawn_at,deadline,time_to_complete_seconds,answered,evaluations,average_score,decision,q1_score,q2_score',
  );
  assert.equal(
    lines[1],
    's1,c1,ada@example.test,\'=cmd,"Lovelace, A.",completed,2026-11-20T08:00:00+00:00,2026-11-21T08:00:00+00:00,' +
      '2026-11-21T08:10:00+00:00,,,2026-12-01T00:00:00+00:00,600,2,3,3.6667,advance,3,5',
  );
  assert.equal(lines[2], '');
});

Deno.test('an export without candidates still has its header', () => {
  assert.equal(exportCsv({ ...exportData, rows: [] }).split('\r\n').length, 2);
});

Deno.test('the dashboard passes its attention thresholds, with defaults, and refuses nonsense', async () => {
  const { get, calls } = await setup();
  assert.equal((await get('/dashboard')).status, 200);
  assert.equal((await get('/dashboard?attention_days=3&attention_ratio=0.25')).status, 200);
  assert.deepEqual(calls.map((c) => c.arg), [
    { attentionDays: 7, attentionRatio: 0.5 },
    { attentionDays: 3, attentionRatio: 0.25 },
  ]);
  for (const query of ['attention_days=0', 'attention_days=x', 'attention_ratio=1.5']) {
    const res = await get(`/dashboard?${query}`);
    assert.equal(res.status, 400, query);
    assert.equal((await res.json()).error.code, 'validation_failed');
  }
});

Deno.test('the OpenAPI document describes the three routes', async () => {
  const { app } = await setup();
  const doc = await (await app.request('/analytics/openapi.json')).json();
  assert.ok(doc.paths['/analytics/campaigns/{campaign_id}'].get);
  assert.ok(doc.paths['/analytics/campaigns/{campaign_id}/export.csv'].get.responses['200'].content['text/csv']);
  assert.ok(doc.paths['/analytics/dashboard'].get);
  assert.ok(doc.components.schemas.CampaignReport);
});
