// Share links, the public side (no account): the outside reviewer's page POSTs the token to open the session's answers
// (logged as a view) and, through a rating link, to rate an answer once. The database decides everything about the
// token (private.open_share_link, private.rate_by_share_link: unknown 404, revoked or expired 410, one session only);
// this module hashes the token, counts the attempt and signs short-lived playback URLs.
import { asService } from '../../shared/db.ts';
import { countAttempt, type Limit } from '../activation/rate-limits.ts';
import type { Deps } from './service.ts';
import { MAX_GRANT_SECONDS, signGet } from './storage.ts';

/** Every public share request from one address. */
export const SHARE_PER_IP: Limit = { bucket: 'share_ip', maxHits: 60, windowSeconds: 10 * 60 };
/** Requests with one token, from anywhere (an open per visit and a rating per answer fit many times over). */
export const SHARE_PER_TOKEN: Limit = { bucket: 'share_token', maxHits: 120, windowSeconds: 60 * 60 };

export interface SharedAnswer {
  response_id: string;
  question_id: string;
  position: number;
  prompt: string;
  take_number: number;
  content_type: string;
  size_bytes: number | null;
  duration_seconds: number | null;
  submitted_at: string | null;
  video_deleted: boolean;
  /** A signed GET of the video, or null when it was deleted (retention). */
  playback: { url: string; expires_at: string } | null;
  /** This link's own rating of the answer, if it gave one. */
  rating: { score: number; comment: string; created_at: string } | null;
}

export interface SharedSession {
  link: { id: string; mode: 'playback' | 'playback_and_rating'; expires_at: string };
  campaign: { title: string; company: string };
  candidate: { first_name: string; last_name: string };
  answers: SharedAnswer[];
}

interface OpenedDoc extends Omit<SharedSession, 'answers'> {
  answers: Array<Omit<SharedAnswer, 'playback'> & { object_key: string | null }>;
}

export interface LinkRating {
  response_id: string;
  score: number;
  comment: string;
  created_at: string;
}

async function tokenHash(token: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token)));
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Counts the request against the per-address and per-token limits (429 too_many_attempts when one is full). */
export async function countShareAttempt(deps: Deps, ip: string, token: string): Promise<void> {
  await countAttempt(deps.sql, [
    { limit: SHARE_PER_IP, key: ip },
    { limit: SHARE_PER_TOKEN, key: hex(await tokenHash(token)) },
  ]);
}

/** The shared session's submitted answers with signed URLs, valid 15 minutes at most and never past the link. */
export async function openShareLink(deps: Deps, token: string): Promise<SharedSession> {
  const hash = await tokenHash(token);
  // Database owner: the token hashes and the view log are out of every client role's reach on purpose.
  const [{ doc }] = await asService(
    (tx) => tx<{ doc: OpenedDoc }[]>`select private.open_share_link(${hash}) as doc`,
    deps.sql,
  );
  const untilLinkExpires = Math.floor((Date.parse(doc.link.expires_at) - Date.now()) / 1000);
  const seconds = Math.max(1, Math.min(MAX_GRANT_SECONDS, untilLinkExpires));
  const expiresAt = new Date(Date.now() + seconds * 1000).toISOString();
  const answers = await Promise.all(doc.answers.map(async ({ object_key, ...answer }) => ({
    ...answer,
    size_bytes: answer.size_bytes === null ? null : Number(answer.size_bytes),
    duration_seconds: answer.duration_seconds === null ? null : Number(answer.duration_seconds),
    playback: object_key ? { url: await signGet(deps.store, object_key, seconds), expires_at: expiresAt } : null,
  })));
  return { ...doc, answers };
}

/** One final rating of one answer through a playback_and_rating link. */
export async function rateByShareLink(
  deps: Deps,
  token: string,
  input: { response_id: string; score: number; comment?: string },
): Promise<LinkRating> {
  const hash = await tokenHash(token);
  // Database owner, as above: the rating is written on the link's behalf, after the token was checked.
  const [row] = await asService(
    (tx) =>
      tx<LinkRating[]>`select r.response_id, r.score, r.comment, r.created_at
                         from private.rate_by_share_link(${hash}, ${input.response_id}, ${input.score},
                                                         ${input.comment ?? ''}) r`,
    deps.sql,
  );
  return { ...row, created_at: new Date(row.created_at).toISOString() };
}
