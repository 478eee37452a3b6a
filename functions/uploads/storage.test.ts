// Signing is local (no store needed): these tests read back what was signed.
import assert from 'node:assert/strict';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { createS3Client } from '../../shared/s3.ts';
import {
  MAX_GRANT_SECONDS,
  MIN_PART_SIZE,
  partLength,
  planParts,
  signGet,
  signPart,
  signPost,
  signPut,
} from './storage.ts';

const store = {
  client: createS3Client({
    endpoint: 'http://127.0.0.1:9',
    region: 'us-east-1',
    bucket: 'videos',
    accessKeyId: 'test-key',
    secretAccessKey: 'test-secret',
    forcePathStyle: true,
  }),
  bucket: 'videos',
};
const KEY = 'campaigns/c/sessions/s/q/1-r.webm';

Deno.test('the POST policy pins the exact key, the content type and a size range up to the cap', async () => {
  const grant = await signPost(store, {
    key: KEY,
    contentType: 'video/webm;codecs=vp8,opus',
    maxBytes: 1000,
    expiresIn: 600,
  });
  assert.equal(grant.url, 'http://127.0.0.1:9/videos');
  assert.equal(grant.fields.key, KEY);
  assert.equal(grant.fields['Content-Type'], 'video/webm;codecs=vp8,opus');
  const policy = JSON.parse(atob(grant.fields.Policy));
  const conditions = policy.conditions.map((c: unknown) => JSON.stringify(c));
  assert.ok(conditions.includes(JSON.stringify(['content-length-range', 1, 1000])));
  assert.ok(conditions.includes(JSON.stringify({ key: KEY })));
  assert.ok(conditions.includes(JSON.stringify(['eq', '$Content-Type', 'video/webm;codecs=vp8,opus'])));
  assert.ok(!JSON.stringify(policy.conditions).includes('starts-with'), 'no prefix condition: one key only');
  const lifetime = Date.parse(policy.expiration) - Date.now();
  assert.ok(lifetime > 590_000 && lifetime <= 600_000, `${lifetime}`);
});

Deno.test('no grant outlives 15 minutes, whatever is asked', async () => {
  const post = await signPost(store, { key: KEY, contentType: 'video/webm', maxBytes: 10, expiresIn: 86_400 });
  assert.ok(Date.parse(JSON.parse(atob(post.fields.Policy)).expiration) - Date.now() <= MAX_GRANT_SECONDS * 1000);
  const put = await signPut(store, { key: KEY, contentType: 'video/webm', size: 10, expiresIn: 86_400 });
  assert.equal(new URL(put.url).searchParams.get('X-Amz-Expires'), '900');
  const get = await signGet(store, KEY, 86_400);
  assert.equal(new URL(get).searchParams.get('X-Amz-Expires'), '900');
});

Deno.test('a PUT grant signs Content-Type and Content-Length, and carries no checksum of an empty body', async () => {
  const put = await signPut(store, { key: KEY, contentType: 'video/mp4', size: 1234, expiresIn: 60 });
  const url = new URL(put.url);
  assert.equal(url.pathname, `/videos/${KEY}`);
  assert.equal(url.searchParams.get('X-Amz-SignedHeaders'), 'content-length;content-type;host');
  assert.ok(![...url.searchParams.keys()].some((k) => k.toLowerCase().includes('checksum')));
  assert.deepEqual(put.headers, { 'content-type': 'video/mp4', 'content-length': '1234' });
});

Deno.test('a part URL signs its length only', async () => {
  const url = new URL(
    await signPart(store, { key: KEY, uploadId: 'u-1', partNumber: 2, length: MIN_PART_SIZE, expiresIn: 60 }),
  );
  assert.equal(url.searchParams.get('X-Amz-SignedHeaders'), 'content-length;host');
  assert.equal(url.searchParams.get('partNumber'), '2');
  assert.equal(url.searchParams.get('uploadId'), 'u-1');
});

Deno.test('parts are 5 MiB or more (whole MiB), at most 10,000, and the last one holds the rest', () => {
  const mib = 1024 * 1024;
  assert.deepEqual(planParts(100), { partSize: 5 * mib, partCount: 1 });
  assert.deepEqual(planParts(5 * mib), { partSize: 5 * mib, partCount: 1 });
  assert.deepEqual(planParts(5 * mib + 1), { partSize: 5 * mib, partCount: 2 });
  const huge = planParts(5 * 1024 * mib);
  assert.ok(huge.partCount <= 10_000 && huge.partSize % mib === 0 && huge.partSize >= 5 * mib);
  const plan = planParts(12 * mib + 7);
  assert.equal(plan.partCount, 3);
  assert.equal(partLength(12 * mib + 7, plan, 1), 5 * mib);
  assert.equal(partLength(12 * mib + 7, plan, 3), 2 * mib + 7);
});

Deno.test('the POST grant is field for field what the SDK signs, across days, credentials and endpoint styles', async () => {
  const stores = [
    store,
    {
      client: createS3Client({
        endpoint: null,
        region: 'eu-west-3',
        bucket: 'prod-videos',
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
        forcePathStyle: false,
      }),
      bucket: 'prod-videos',
    },
  ];
  const realNow = Date.now;
  try {
    for (const s of stores) {
      for (const at of ['2026-12-03T23:59:59.500Z', '2026-12-04T00:00:00.000Z', '2027-01-01T12:00:00.000Z']) {
        const now = Date.parse(at);
        Date.now = () => now;
        const grant = { key: KEY, contentType: 'video/mp4', maxBytes: 524_288_000, expiresIn: 900 };
        const ours = await signPost(s, grant);
        const sdk = await createPresignedPost(s.client, {
          Bucket: s.bucket,
          Key: grant.key,
          Conditions: [['content-length-range', 1, grant.maxBytes], ['eq', '$Content-Type', grant.contentType]],
          Fields: { 'Content-Type': grant.contentType },
          Expires: grant.expiresIn,
        });
        assert.deepEqual(ours, sdk, `${s.bucket} at ${at}`);
      }
    }
  } finally {
    Date.now = realNow;
  }
});
