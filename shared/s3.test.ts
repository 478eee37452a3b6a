import assert from 'node:assert/strict';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { loadStorageConfig } from './config.ts';
import { createS3Client } from './s3.ts';

const credentials = { S3_ACCESS_KEY_ID: 'AKIDEXAMPLE', S3_SECRET_ACCESS_KEY: 'secret' };

Deno.test('a local S3-compatible store gets path-style URLs on its own endpoint', async () => {
  const client = createS3Client(
    loadStorageConfig({ ...credentials, S3_ENDPOINT: 'http://127.0.0.1:9000', S3_FORCE_PATH_STYLE: 'true' }),
  );
  const url = new URL(
    await getSignedUrl(client, new PutObjectCommand({ Bucket: 'videos', Key: 'a/b.webm' }), { expiresIn: 60 }),
  );
  assert.equal(url.origin, 'http://127.0.0.1:9000');
  assert.equal(url.pathname, '/videos/a/b.webm');
  assert.match(url.searchParams.get('X-Amz-Credential') ?? '', /^AKIDEXAMPLE\/\d{8}\/us-east-1\/s3\/aws4_request$/);
  client.destroy();
});

Deno.test('AWS S3 (no endpoint) gets virtual-hosted URLs in the configured region', async () => {
  const client = createS3Client(loadStorageConfig({ ...credentials, S3_REGION: 'eu-west-3', S3_BUCKET: 'clips' }));
  const url = new URL(
    await getSignedUrl(client, new PutObjectCommand({ Bucket: 'clips', Key: 'k.mp4' }), { expiresIn: 60 }),
  );
  assert.equal(url.host, 'clips.s3.eu-west-3.amazonaws.com');
  client.destroy();
});

Deno.test('presigned uploads carry no checksum the browser would have to compute', async () => {
  const client = createS3Client(
    loadStorageConfig({ ...credentials, S3_ENDPOINT: 'http://127.0.0.1:9000', S3_FORCE_PATH_STYLE: 'true' }),
  );
  const url = new URL(
    await getSignedUrl(client, new PutObjectCommand({ Bucket: 'videos', Key: 'k.webm', ContentType: 'video/webm' }), {
      expiresIn: 60,
    }),
  );
  const checksumParams = [...url.searchParams.keys()].filter((k) => /checksum/i.test(k));
  assert.deepEqual(checksumParams, []);
  client.destroy();
});
