// The uploads function's routes (documented at /uploads/openapi.json). Handlers validate, pick the caller, and hand
// over to service.ts.
import { createRoute, z } from '@hono/zod-openapi';
import { requireServiceRole, requireUser } from '../../shared/auth.ts';
import type { AppConfig, StorageConfig } from '../../shared/config.ts';
import { config as processConfig, storageConfig } from '../../shared/config.ts';
import { type Sql, sql as processSql } from '../../shared/db.ts';
import { authAdmin } from '../../shared/auth-admin.ts';
import { bearerAuth, createApp, errorResponses } from '../../shared/http.ts';
import { createS3Client, s3 } from '../../shared/s3.ts';
import { uuid, uuidParam } from '../../shared/validation.ts';
import { clientIp } from '../activation/client-ip.ts';
import { loadActivationSettings } from '../activation/settings.ts';
import { ALLOWED_BASE_TYPES } from './content-types.ts';
import { countShareAttempt, openShareLink, rateByShareLink } from './share.ts';
import {
  abortMultipartUpload,
  completeUpload,
  type Deps,
  eraseAccount,
  eraseOwnAccount,
  eraseSession,
  multipartStatus,
  ownData,
  playback,
  requestUpload,
  runRetention,
  streamPart,
} from './service.ts';
import { MAX_GRANT_SECONDS, MAX_PARTS, MIN_PART_SIZE, type Store } from './storage.ts';

// ---------------------------------------------------------------------------------------------------------------------
// schemas
// ---------------------------------------------------------------------------------------------------------------------

const MAX_VIDEO_BYTES = 5 * 1024 * 1024 * 1024;

const UploadRequestSchema = z
  .object({
    session_id: uuid,
    question_id: uuid,
    content_type: z.string().min(1).max(200).openapi({
      example: 'video/webm;codecs=vp8,opus',
      description: `One of ${ALLOWED_BASE_TYPES.join(', ')}, optionally with a codecs parameter`,
    }),
    size_bytes: z.number().int().min(1).max(MAX_VIDEO_BYTES).optional().openapi({
      example: 1048576,
      description: 'Required, except with method stream (the size is known only at complete)',
    }),
    duration_seconds: z.number().min(0).max(7200).optional(),
    method: z.enum(['post', 'put', 'multipart', 'stream']).default('post').openapi({
      description: 'post (default): browser form POST with a policy; put: one signed PUT (stores without POST, ' +
        'e.g. Supabase Storage); multipart: signed part PUTs, resumable; stream: upload while recording, one ' +
        'part URL at a time from POST /uploads/{response_id}/parts',
    }),
    filename: z.string().max(255).optional().openapi({
      description: 'Legacy: only its extension is read, and it must match the content type',
    }),
    expires_in_seconds: z.number().int().min(1).max(MAX_GRANT_SECONDS).optional().openapi({
      description: `Grant lifetime; at most ${MAX_GRANT_SECONDS} (the default)`,
    }),
  })
  .refine((body) => body.method === 'stream' || body.size_bytes !== undefined, {
    path: ['size_bytes'],
    message: 'size_bytes is required unless method is stream',
  })
  .openapi('UploadRequest');

const StreamPartRequestSchema = z
  .object({
    part_number: z.number().int().min(1).max(MAX_PARTS),
    size_bytes: z.number().int().min(1).max(MAX_VIDEO_BYTES).openapi({
      description: `Exactly the part's length; every part but the last at least ${MIN_PART_SIZE} bytes`,
    }),
  })
  .openapi('StreamPartRequest');

const StreamPartSchema = z
  .object({ part_number: z.number().int(), size_bytes: z.number().int(), url: z.string(), expires_at: z.string() })
  .openapi('StreamPart');

const PartSchema = z.object({ part_number: z.number().int(), size_bytes: z.number().int(), url: z.string() });

const UploadedPartsSchema = z.array(
  z.object({ part_number: z.number().int(), size_bytes: z.number().int(), etag: z.string() }),
);

const MultipartSchema = z
  .object({
    upload_id: z.string(),
    part_size_bytes: z.number().int(),
    part_count: z.number().int(),
    uploaded_parts: UploadedPartsSchema,
    parts: z.array(PartSchema).openapi({ description: 'PUT each part with exactly its size_bytes (signed)' }),
  })
  .openapi('MultipartGrant');

const UploadGrantSchema = z
  .object({
    response_id: uuid,
    object_key: z.string().openapi({ example: 'campaigns/<campaign>/sessions/<session>/<question>/1-<response>.webm' }),
    take_number: z.number().int(),
    max_takes: z.number().int(),
    reused: z.boolean(),
    method: z.enum(['post', 'put', 'multipart', 'stream']),
    content_type: z.string().openapi({ description: 'Normalized: send exactly this Content-Type' }),
    size_bytes: z.number().int().nullable(),
    max_video_bytes: z.number().int(),
    expires_at: z.string(),
    post: z.object({ url: z.string(), fields: z.record(z.string(), z.string()) }).optional(),
    put: z.object({ url: z.string(), headers: z.record(z.string(), z.string()) }).optional(),
    multipart: MultipartSchema.optional(),
    stream: z.object({
      upload_id: z.string(),
      min_part_size_bytes: z.number().int(),
      max_parts: z.number().int(),
      uploaded_parts: UploadedPartsSchema.openapi({
        description: 'Empty for a new take; a retried request (reused: true) resumes after these',
      }),
    }).optional(),
  })
  .openapi('UploadGrant');

const MultipartStatusSchema = MultipartSchema.extend({ response_id: uuid, expires_at: z.string() }).openapi(
  'MultipartStatus',
);

const CompletedSchema = z
  .object({
    response_id: uuid,
    status: z.literal('uploaded'),
    is_submitted: z.boolean(),
    submitted_at: z.string().nullable(),
    size_bytes: z.number().int(),
    content_type: z.string(),
    duration_seconds: z.number().nullable().openapi({ description: 'The duration read from the stored file' }),
    session_status: z.string(),
  })
  .openapi('CompletedUpload');

const PlaybackSchema = z
  .object({
    response_id: uuid,
    url: z.string(),
    expires_at: z.string(),
    content_type: z.string(),
    size_bytes: z.number().int(),
  })
  .openapi('Playback');

const DeletionReportSchema = z.object({
  confirmed: z.number().int(),
  pending: z.number().int(),
  failed: z.number().int().openapi({ description: 'Deletions the store refused this time; the next run retries' }),
  objects_deleted: z.array(z.string()),
});

const ErasureSchema = DeletionReportSchema.extend({ deletion_ids: z.array(z.string()) }).openapi('ErasureReport');
const OwnDataSchema = z.record(z.string(), z.unknown()).openapi('OwnData', {
  description: 'Everything held about the caller: account, profile, candidate row, interviews (session, campaign, ' +
    'privacy notice and acceptance, accommodation, reveals, takes, ratings, decision, audit trail) and emails',
});
const ShareToken = z.string().min(1).max(512).openapi({
  description: 'The share link token (from the link the team sent: `/share#<token>`), 43 base64url characters',
  example: 'q3X0cD9k2mVn8yZbLr4TfHs1uWj6aEoPiGx5NdQlK7c',
});
const ShareOpenRequestSchema = z.object({ token: ShareToken }).openapi('ShareOpenRequest');
const ShareRateRequestSchema = z
  .object({
    token: ShareToken,
    response_id: uuid,
    score: z.number().int().min(1).max(5),
    comment: z.string().max(5000).optional(),
  })
  .openapi('ShareRateRequest');
const SharedSessionSchema = z
  .object({
    link: z.object({ id: uuid, mode: z.enum(['playback', 'playback_and_rating']), expires_at: z.string() }),
    campaign: z.object({ title: z.string(), company: z.string() }),
    candidate: z.object({ first_name: z.string(), last_name: z.string() }),
    answers: z.array(z.object({
      response_id: uuid,
      question_id: uuid,
      position: z.number().int(),
      prompt: z.string(),
      take_number: z.number().int(),
      content_type: z.string(),
      size_bytes: z.number().int().nullable(),
      duration_seconds: z.number().nullable(),
      submitted_at: z.string().nullable(),
      video_deleted: z.boolean(),
      playback: z.object({ url: z.string(), expires_at: z.string() }).nullable().openapi({
        description: 'A signed GET, valid 15 minutes at most and never past the link; null once the video was deleted',
      }),
      rating: z.object({ score: z.number().int(), comment: z.string(), created_at: z.string() }).nullable()
        .openapi({ description: "This link's own rating, if any (never anyone else's)" }),
    })),
  })
  .openapi('SharedSession');
const LinkRatingSchema = z
  .object({ response_id: uuid, score: z.number().int(), comment: z.string(), created_at: z.string() })
  .openapi('LinkRating');
const SHARE_ERRORS = '404 `share_link_not_found` (unknown token), 410 `share_link_revoked`, 410 ' +
  '`share_link_expired`, 429 `too_many_attempts` (with Retry-After)';

const RetentionSchema = DeletionReportSchema.extend({ queued: z.number().int() }).openapi('RetentionReport');

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

// ---------------------------------------------------------------------------------------------------------------------
// app
// ---------------------------------------------------------------------------------------------------------------------

export interface UploadsAppOptions {
  config?: AppConfig;
  storage?: StorageConfig;
  sql?: Sql;
  /** Proxies in front of the function that append to X-Forwarded-For (default: ACTIVATION_TRUSTED_PROXY_HOPS). */
  trustedProxyHops?: number;
}

export function buildUploadsApp(options: UploadsAppOptions = {}) {
  const config = options.config ?? processConfig();
  // Parsed now so that a missing S3 variable fails at start-up, not on the first upload.
  const storage = options.storage ?? storageConfig();
  const store: Store = { client: options.storage ? createS3Client(storage) : s3(), bucket: storage.bucket };
  const db = options.sql ?? processSql;
  const app = createApp('uploads', { config, ...(options.sql ? { sql: options.sql } : {}) });
  const deps = (log: Deps['log']): Deps => ({ sql: db, store, log });
  // The same proxy chain as the activation function's, so the same setting.
  const hops = options.trustedProxyHops ?? loadActivationSettings().trustedProxyHops;

  app.openapi(
    createRoute({
      method: 'post',
      path: '/',
      summary: 'Request an upload: records the next take (pending) and returns a signed POST, PUT or multipart grant',
      security: bearerAuth,
      middleware: [requireUser()] as const,
      request: { body: { content: { 'application/json': { schema: UploadRequestSchema } }, required: true } },
      responses: {
        201: json(UploadGrantSchema, 'The pending take and its grant (expires in 15 minutes or less)'),
        ...errorResponses(400, 401, 404, 409, 413, 415, 503),
      },
    }),
    async (c) => {
      const grant = await requestUpload(deps(c.var.log), c.var.claims, c.req.valid('json'));
      return c.json(grant, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{response_id}/complete',
      summary: 'Verify the stored video (HEAD: size and type) and submit the take; idempotent',
      description: 'Codes: 409 upload_not_found (nothing stored yet), 409 multipart_incomplete, 422 upload_mismatch ' +
        '(the take is failed and the object deleted), 409 response_failed, 409 session_not_in_progress.',
      security: bearerAuth,
      middleware: [requireUser()] as const,
      request: { params: uuidParam('response_id') },
      responses: {
        200: json(CompletedSchema, 'The take is uploaded and submitted'),
        ...errorResponses(400, 401, 404, 409, 422, 503),
      },
    }),
    async (c) => c.json(await completeUpload(deps(c.var.log), c.var.claims, c.req.valid('param').response_id), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{response_id}/multipart',
      summary: 'Multipart: the parts already stored and fresh URLs for the missing ones (resume)',
      security: bearerAuth,
      middleware: [requireUser()] as const,
      request: { params: uuidParam('response_id') },
      responses: {
        200: json(MultipartStatusSchema, 'Upload state'),
        ...errorResponses(400, 401, 404, 409, 503),
      },
    }),
    async (c) => c.json(await multipartStatus(deps(c.var.log), c.var.claims, c.req.valid('param').response_id), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/{response_id}/parts',
      summary: 'Upload while recording: a signed URL for the next part, of exactly its size',
      description: 'Refused after the answer window (409 answer_window_closed) and when the parts stored so far ' +
        'plus this one would pass the campaign cap (413 response_too_large).',
      security: bearerAuth,
      middleware: [requireUser()] as const,
      request: {
        params: uuidParam('response_id'),
        body: { content: { 'application/json': { schema: StreamPartRequestSchema } }, required: true },
      },
      responses: {
        200: json(StreamPartSchema, 'The part URL'),
        ...errorResponses(400, 401, 404, 409, 413, 503),
      },
    }),
    async (c) =>
      c.json(
        await streamPart(deps(c.var.log), c.var.claims, c.req.valid('param').response_id, c.req.valid('json')),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/{response_id}/multipart',
      summary: 'Multipart: abort (the take becomes failed; it still counts)',
      security: bearerAuth,
      middleware: [requireUser()] as const,
      request: { params: uuidParam('response_id') },
      responses: {
        200: json(z.object({ response_id: uuid, status: z.string() }), 'Aborted'),
        ...errorResponses(400, 401, 404, 409, 503),
      },
    }),
    async (c) =>
      c.json(await abortMultipartUpload(deps(c.var.log), c.var.claims, c.req.valid('param').response_id), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/{response_id}/playback',
      summary: "A signed GET of the video (15 minutes) for campaign members and the take's own candidate",
      description: 'Anyone else gets 404, so ids do not leak. 410 video_deleted after the retention period.',
      security: bearerAuth,
      middleware: [requireUser()] as const,
      request: { params: uuidParam('response_id') },
      responses: {
        200: json(PlaybackSchema, 'Signed URL'),
        ...errorResponses(400, 401, 404, 409, 410, 503),
      },
    }),
    async (c) => c.json(await playback(deps(c.var.log), c.var.claims, c.req.valid('param').response_id), 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/sessions/{session_id}',
      summary: 'Right to erasure: the campaign owner (or an admin) erases a candidate from a campaign',
      description:
        'Deletes the session, its responses, evaluations, reveals and decision, and the videos in storage; ' +
        'every deletion is logged in public.video_deletions. Others get 404.',
      security: bearerAuth,
      middleware: [requireUser()] as const,
      request: { params: uuidParam('session_id') },
      responses: {
        200: json(ErasureSchema, 'Erased'),
        ...errorResponses(400, 401, 404, 503),
      },
    }),
    async (c) => c.json(await eraseSession(deps(c.var.log), c.var.claims, c.req.valid('param').session_id), 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/users/{user_id}',
      summary: 'Admin: erase an account and everything it owns (sessions, campaigns, videos)',
      security: bearerAuth,
      middleware: [requireUser()] as const,
      request: { params: uuidParam('user_id') },
      responses: {
        200: json(ErasureSchema, 'Erased'),
        ...errorResponses(400, 401, 403, 404, 409, 503),
      },
    }),
    async (c) => {
      const auth = authAdmin(config);
      const report = await eraseAccount(
        { ...deps(c.var.log), authAdmin: (id) => auth.deleteUser(id) },
        c.var.claims,
        c.req.valid('param').user_id,
      );
      return c.json(report, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/me',
      summary: 'Download everything the system holds about the caller, as JSON (an attachment)',
      security: bearerAuth,
      middleware: [requireUser()] as const,
      responses: {
        200: json(OwnDataSchema, 'The data, as `my-data-<date>.json`'),
        ...errorResponses(401, 503),
      },
    }),
    async (c) => {
      const data = await ownData(deps(c.var.log), c.var.claims);
      c.header('Cache-Control', 'private, no-store');
      c.header('Content-Disposition', `attachment; filename="my-data-${new Date().toISOString().slice(0, 10)}.json"`);
      return c.json(data, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/me',
      summary: 'A candidate erases their own account: videos, sessions, takes, ratings and the account itself',
      description: 'The same path as an admin erasing an account: the deletions are logged in public.video_deletions ' +
        '(reason account_erasure), the auth user is deleted, then the videos. Only candidates (403 ' +
        '`self_erasure_not_allowed` otherwise). The session token stops working once it expires.',
      security: bearerAuth,
      middleware: [requireUser()] as const,
      responses: {
        200: json(ErasureSchema, 'Erased'),
        ...errorResponses(401, 403, 503),
      },
    }),
    async (c) => {
      const auth = authAdmin(config);
      const report = await eraseOwnAccount(
        { ...deps(c.var.log), authAdmin: (id) => auth.deleteUser(id) },
        c.var.claims,
      );
      return c.json(report, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/share/open',
      summary: "Share link (no account): the shared session's answers with signed playback URLs; logged as a view",
      description: 'The token goes in the body, so the link (a GET of the SPA page) consumes and logs nothing until ' +
        `the page POSTs. Only the submitted answers of the link's one session. Errors: ${SHARE_ERRORS}.`,
      request: { body: { content: { 'application/json': { schema: ShareOpenRequestSchema } }, required: true } },
      responses: {
        200: json(SharedSessionSchema, 'The shared session'),
        ...errorResponses(400, 404, 410, 429, 503),
      },
    }),
    async (c) => {
      c.header('Cache-Control', 'no-store');
      const { token } = c.req.valid('json');
      await countShareAttempt(deps(c.var.log), clientIp(c.req.header('x-forwarded-for'), hops), token);
      return c.json(await openShareLink(deps(c.var.log), token), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/share/rate',
      summary: 'Share link (no account): rate one answer of the shared session, once (a playback_and_rating link)',
      description: `Errors: ${SHARE_ERRORS}, 403 \`share_link_read_only\` (a playback-only link), 404 ` +
        '`response_not_found` (not a submitted answer of the shared session), 409 `share_link_already_rated` (a ' +
        'rating by link is final), 400 `validation_failed` (score 1 to 5, comment up to 5000 characters).',
      request: { body: { content: { 'application/json': { schema: ShareRateRequestSchema } }, required: true } },
      responses: {
        201: json(LinkRatingSchema, 'The rating'),
        ...errorResponses(400, 403, 404, 409, 410, 429, 503),
      },
    }),
    async (c) => {
      c.header('Cache-Control', 'no-store');
      const input = c.req.valid('json');
      await countShareAttempt(deps(c.var.log), clientIp(c.req.header('x-forwarded-for'), hops), input.token);
      return c.json(await rateByShareLink(deps(c.var.log), input.token, input), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/retention/run',
      summary: "Service role (scheduler, hourly): delete the videos past their campaign's retention period",
      description: 'Also retries deletions a store failure left pending, and sweeps erased folders until every grant ' +
        'signed before the erasure has expired. Each deletion is logged in public.video_deletions.',
      security: bearerAuth,
      middleware: [requireServiceRole()] as const,
      responses: {
        200: json(RetentionSchema, 'What this run did'),
        ...errorResponses(401, 403, 503),
      },
    }),
    async (c) => c.json(await runRetention(deps(c.var.log)), 200),
  );

  return app;
}
