// 7. The outboxes' throughput: emails and webhooks from the commit that records them to their arrival at a local
// receiver (Mailpit; a listener in this process). The bench's stack runs no pg_cron jobs, so the bench calls the
// senders' endpoints itself, as the jobs do (POST with the service role key), but back to back instead of every 10 s:
// what is measured is what the senders can do, not the schedule.
import type postgres from 'postgres';
import { Webhook } from 'standardwebhooks';
import { type Actors, emailPrefix } from './dataset.ts';
import { measureBulkInvite, type Stats, stats, type TokenSigner, userClaims } from './measure.ts';

export interface DeliveryServices {
  /** `${SUPABASE_URL}/functions/v1` */
  functionsUrl: string;
  serviceRoleKey: string;
  mailpitUrl: string;
}

export interface ThroughputResult {
  events: number;
  delivered: number;
  /** From the commit to the last arrival. */
  seconds: number | null;
  /** delivered / seconds. */
  eventsPerSecond: number | null;
  /** From the commit to each event's arrival. */
  latency: Stats | null;
  /** Calls of the sender's endpoint. */
  runs: number;
  /** Deliveries whose signature the receiver verified (webhooks only). */
  verified?: number;
  available: boolean;
  note?: string;
}

export function throughputNotMeasured(events: number, note: string): ThroughputResult {
  return { events, delivered: 0, seconds: null, eventsPerSecond: null, latency: null, runs: 0, available: false, note };
}

function throughput(committedAt: number, arrivals: number[], events: number, runs: number): ThroughputResult {
  if (arrivals.length === 0) return { ...throughputNotMeasured(events, 'nothing arrived in time'), runs };
  const seconds = (Math.max(...arrivals) - committedAt) / 1000;
  return {
    events,
    delivered: arrivals.length,
    seconds: Math.round(seconds * 100) / 100,
    eventsPerSecond: Math.round((arrivals.length / seconds) * 10) / 10,
    latency: stats(arrivals.map((at) => at - committedAt)),
    runs,
    available: true,
    ...(arrivals.length < events ? { note: `${events - arrivals.length} of ${events} had not arrived in time` } : {}),
  };
}

/** Long enough for a slow machine, short enough that a stuck sender does not hold the run. */
const deadlineFor = (events: number) => Date.now() + 60_000 + events * 500;

/**
 * Calls a sender's endpoint until `arrived` says everything is there, or the deadline passes; returns the number of
 * calls. A call that claims nothing (the rest is in flight elsewhere) is followed by a short pause.
 */
async function driveSender(url: string, serviceRoleKey: string, arrived: () => Promise<boolean>, deadline: number) {
  let runs = 0;
  while (!await arrived() && Date.now() < deadline) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${serviceRoleKey}` },
      body: '{}',
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${new URL(url).pathname} answered ${res.status}: ${text.slice(0, 200)}`);
    runs++;
    if (JSON.parse(text).claimed === 0) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return runs;
}

// ---------------------------------------------------------------------------------------------------------------------
// emails
// ---------------------------------------------------------------------------------------------------------------------

/** When Mailpit received each message to an address containing `addressPart` (at most `limit` of them). */
async function mailArrivals(mailpitUrl: string, addressPart: string, limit: number): Promise<number[]> {
  const query = encodeURIComponent(`to:"${addressPart}"`);
  const res = await fetch(`${mailpitUrl}/api/v1/search?query=${query}&limit=${limit}`);
  if (!res.ok) throw new Error(`Mailpit search answered ${res.status}`);
  const { messages } = await res.json() as { messages: Array<{ Created: string }> };
  return messages.map((m) => Date.parse(m.Created));
}

/**
 * `events` invitations in one bulk request (one commit, `events` emails queued), then the outbox sender until Mailpit
 * holds them all: the request's own after-response send (its first 25) and POST /invitations/outbox/run.
 */
export async function measureEmailOutbox(
  services: DeliveryServices,
  actors: Actors,
  sign: TokenSigner,
  events: number,
): Promise<ThroughputResult> {
  const label = 'outbox';
  const queued = await measureBulkInvite(services.functionsUrl, actors, sign, events, 'json', label);
  const committedAt = Date.now();
  if (!queued.available || queued.created !== events) {
    return throughputNotMeasured(events, `the bulk invitation: ${queued.note ?? `${queued.created} created`}`);
  }
  let arrivals: number[] = [];
  const arrived = async () =>
    (arrivals = await mailArrivals(services.mailpitUrl, `${emailPrefix(actors.tag)}${label}-`, events)).length >=
      events;
  const runs = await driveSender(
    `${services.functionsUrl}/invitations/outbox/run`,
    services.serviceRoleKey,
    arrived,
    deadlineFor(events),
  );
  return throughput(committedAt, arrivals, events, runs);
}

// ---------------------------------------------------------------------------------------------------------------------
// webhooks
// ---------------------------------------------------------------------------------------------------------------------

/** The ATS: notes when each delivery arrived and whether its signature verifies with the endpoint's secret. */
function webhookListener() {
  const arrivals: number[] = [];
  let verifier: Webhook | null = null;
  let verified = 0;
  const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: () => {} }, async (req) => {
    const body = await req.text();
    arrivals.push(Date.now());
    try {
      verifier?.verify(body, Object.fromEntries(req.headers));
      if (verifier) verified++;
    } catch {
      // counted as not verified
    }
    return new Response('thanks');
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/ats/hooks`,
    arrivals,
    verified: () => verified,
    verifyWith: (secret: string) => verifier = new Webhook(secret),
    close: () => server.shutdown(),
  };
}

/** A campaign of the inviter's organization for this measure alone, so that its endpoint hears nothing else. */
async function webhookCampaign(db: postgres.Sql, actors: Actors): Promise<{ id: string; organizationId: string }> {
  const [campaign] = await db`
    insert into public.campaigns (owner_id, organization_id, title, status, start_date, end_date)
    select c.owner_id, c.organization_id, 'Webhooks benchmark', 'active', now(), now() + interval '30 days'
      from public.campaigns c where c.id = ${actors.inviteCampaign}
    returning id, organization_id`;
  return { id: campaign.id, organizationId: campaign.organization_id };
}

/**
 * An endpoint of the inviter's organization (POST /webhooks/endpoints, for session.invited in one campaign) at a
 * listener in this process; `events` of the dataset's candidates invited to that campaign in one statement (one
 * commit, `events` deliveries recorded by the trigger); then POST /webhooks/run until the listener has them all.
 */
export async function measureWebhooks(
  db: postgres.Sql,
  services: DeliveryServices,
  actors: Actors,
  sign: TokenSigner,
  events: number,
): Promise<ThroughputResult> {
  const listener = webhookListener();
  let endpointId: string | null = null;
  try {
    const campaign = await webhookCampaign(db, actors);
    const res = await fetch(`${services.functionsUrl}/webhooks/endpoints`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await sign(userClaims(actors.inviter, 'hiring_manager'))}`,
      },
      body: JSON.stringify({
        organization_id: campaign.organizationId,
        campaign_id: campaign.id,
        url: listener.url,
        event_types: ['session.invited'],
      }),
    });
    const endpoint = await res.json();
    if (!res.ok) {
      return throughputNotMeasured(events, `the endpoint: ${res.status} ${JSON.stringify(endpoint).slice(0, 200)}`);
    }
    endpointId = endpoint.id;
    listener.verifyWith(endpoint.secret);
    await db`
      insert into public.interview_sessions (campaign_id, candidate_id, invited_by)
      select ${campaign.id}, c.id, ${actors.inviter} from public.candidates c
       where c.email like ${`${emailPrefix(actors.tag)}cand%`}
       order by c.email limit ${events}`;
    const committedAt = Date.now();
    const runs = await driveSender(
      `${services.functionsUrl}/webhooks/run`,
      services.serviceRoleKey,
      () => Promise.resolve(listener.arrivals.length >= events),
      deadlineFor(events),
    );
    return { ...throughput(committedAt, listener.arrivals, events, runs), verified: listener.verified() };
  } finally {
    await listener.close();
    if (endpointId) await db`delete from public.webhook_endpoints where id = ${endpointId}`;
  }
}
