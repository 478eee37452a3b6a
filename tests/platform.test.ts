// Each real part of the local platform, end to end through the gateway, as a client of the product would use it.
import assert from 'node:assert/strict';
import { createClient } from '@supabase/supabase-js';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { loadMailConfig } from '../shared/config.ts';
import { createMailTransport, isMailError } from '../shared/mail.ts';
import { SOURCE_BUILDS } from '../stack/tools.ts';
import { browserFormPost, env, eventually, mailsTo, mailText, stackService, uniqueEmail } from './support.ts';

const s3 = new S3Client({
  requestChecksumCalculation: 'WHEN_REQUIRED',
  endpoint: env('S3_ENDPOINT'),
  region: env('S3_REGION'),
  forcePathStyle: true,
  credentials: { accessKeyId: env('S3_ACCESS_KEY_ID'), secretAccessKey: env('S3_SECRET_ACCESS_KEY') },
});
const bucket = env('S3_BUCKET');

Deno.test('auth: a user signs up and signs in with supabase-js, and the token verifies against the JWKS', async () => {
  const supabase = createClient(env('SUPABASE_URL'), env('SUPABASE_ANON_KEY'), { auth: { persistSession: false } });
  const email = uniqueEmail('platform');
  const signUp = await supabase.auth.signUp({ email, password: 'correct-horse-battery' });
  assert.equal(signUp.error, null);
  const signIn = await supabase.auth.signInWithPassword({ email, password: 'correct-horse-battery' });
  assert.equal(signIn.error, null);
  const token = signIn.data.session!.access_token;

  const jwks = createRemoteJWKSet(new URL(`${env('SUPABASE_URL')}/auth/v1/.well-known/jwks.json`));
  const { payload, protectedHeader } = await jwtVerify(token, jwks, {
    issuer: `${env('SUPABASE_URL')}/auth/v1`,
    audience: 'authenticated',
  });
  assert.equal(protectedHeader.alg, 'ES256');
  assert.equal(payload.sub, signIn.data.user!.id);
  assert.equal(payload.email, email);

  const wrongPassword = await supabase.auth.signInWithPassword({ email, password: 'wrong-password-1' });
  assert.equal(wrongPassword.error?.code, 'invalid_credentials');
});

Deno.test('gateway: a method no upstream serves (TRACE, TRACK) is 405, not a 5xx', async () => {
  // fetch() refuses to send these methods, so curl sends them, as an attacker's client would.
  for (const method of ['TRACE', 'TRACK']) {
    const out = await new Deno.Command('curl', {
      args: [
        '-s',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        '-X',
        method,
        `${env('SUPABASE_URL')}/functions/v1/uploads/health`,
      ],
      stdout: 'piped',
    }).output();
    assert.equal(new TextDecoder().decode(out.stdout), '405', method);
  }
});

Deno.test('gateway: auth and rest calls without a valid apikey are refused, as on Supabase', async () => {
  for (const path of ['/auth/v1/settings', '/rest/v1/']) {
    const missing = await fetch(`${env('SUPABASE_URL')}${path}`);
    assert.equal(missing.status, 401, path);
    await missing.body?.cancel();
    const wrong = await fetch(`${env('SUPABASE_URL')}${path}`, { headers: { apikey: 'not-a-key' } });
    assert.equal(wrong.status, 401, path);
    await wrong.body?.cancel();
  }
  const ok = await fetch(`${env('SUPABASE_URL')}/auth/v1/health`, { headers: { apikey: env('SUPABASE_ANON_KEY') } });
  assert.equal(ok.status, 200);
  await ok.body?.cancel();
});

Deno.test('gateway: a function gets the request as sent, and its answer comes back as it was sent', async () => {
  const requestId = crypto.randomUUID();
  const res = await fetch(`${env('SUPABASE_URL')}/functions/v1/uploads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': requestId },
    body: JSON.stringify({ session_id: crypto.randomUUID() }),
  });
  // The function answered (no user token) with the request id it was given, and no hop-by-hop header came back.
  assert.equal(res.status, 401);
  assert.equal(res.headers.get('x-request-id'), requestId);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal(res.headers.get('transfer-encoding'), null);
  assert.equal((await res.json()).error.code, 'missing_token');

  const invalid = await fetch(`${env('SUPABASE_URL')}/functions/v1/uploads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${env('SUPABASE_ANON_KEY')}` },
    body: '{"session_id": ',
  });
  assert.equal(invalid.status, 401);
  await invalid.body?.cancel();

  // A rest call with only the apikey is forwarded with it as the bearer token (the anon role may not read campaigns,
  // the service role may), and gets the gateway's CORS headers.
  const asAnon = await fetch(`${env('SUPABASE_URL')}/rest/v1/campaigns?select=id&limit=1`, {
    headers: { apikey: env('SUPABASE_ANON_KEY') },
  });
  assert.equal(asAnon.status, 401);
  await asAnon.body?.cancel();
  const asService = await fetch(`${env('SUPABASE_URL')}/rest/v1/campaigns?select=id&limit=1`, {
    headers: { apikey: env('SUPABASE_SERVICE_ROLE_KEY'), 'x-forwarded-for': '203.0.113.7' },
  });
  assert.equal(asService.status, 200, await asService.clone().text());
  assert.equal(asService.headers.get('access-control-allow-origin'), '*');
  assert.ok(Array.isArray(await asService.json()));
});

Deno.test('auth: the health endpoint through the gateway reports the real GoTrue and its pinned version', async () => {
  const res = await fetch(`${env('SUPABASE_URL')}/auth/v1/health`, { headers: { apikey: env('SUPABASE_ANON_KEY') } });
  const body = await res.json();
  assert.equal(res.status, 200);
  assert.equal(body.name, 'GoTrue');
  assert.equal(body.version, SOURCE_BUILDS.auth.version);
});

/** The preflight a browser on `origin` sends before a cross-origin upload with `method`. */
function preflight(url: string, origin: string, method: string, headers: string): Promise<Response> {
  return fetch(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
  });
}

Deno.test("storage: the bucket answers a browser's preflight for POST and PUT from the app's origins only", async () => {
  const bucketUrl = `${env('S3_ENDPOINT')}/${bucket}`;
  for (const origin of env('CORS_ORIGINS').split(',')) {
    const post = await preflight(bucketUrl, origin, 'POST', 'content-type');
    await post.body?.cancel();
    assert.equal(post.status, 200, `POST from ${origin}`);
    assert.equal(post.headers.get('access-control-allow-origin'), origin);
    assert.match(post.headers.get('access-control-allow-methods') ?? '', /POST/);
    const put = await preflight(`${bucketUrl}/uploads/some-key.webm`, origin, 'PUT', 'content-type');
    await put.body?.cancel();
    assert.equal(put.status, 200, `PUT from ${origin}`);
    assert.equal(put.headers.get('access-control-allow-origin'), origin);
    assert.match(put.headers.get('access-control-allow-methods') ?? '', /PUT/);
    assert.match(put.headers.get('access-control-expose-headers') ?? '', /ETag/i, "multipart needs each part's ETag");
  }
  const stranger = await preflight(bucketUrl, 'https://evil.example', 'POST', 'content-type');
  await stranger.body?.cancel();
  assert.notEqual(stranger.headers.get('access-control-allow-origin'), 'https://evil.example');
  assert.notEqual(stranger.headers.get('access-control-allow-origin'), '*');
});

Deno.test('storage: an object uploaded through a presigned PUT reads back byte for byte', async () => {
  const key = `platform/${crypto.randomUUID()}.bin`;
  const bytes = crypto.getRandomValues(new Uint8Array(4096));
  const url = await getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: 'video/webm' }), {
    expiresIn: 60,
  });
  const put = await fetch(url, { method: 'PUT', body: bytes, headers: { 'content-type': 'video/webm' } });
  assert.equal(put.status, 200, await put.text());
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  assert.deepEqual(await got.Body!.transformToByteArray(), bytes);
});

Deno.test('storage: the S3 server itself rejects an oversized POST and a tampered signature', async () => {
  const key = `platform/${crypto.randomUUID()}.webm`;
  const post = await createPresignedPost(s3, {
    Bucket: bucket,
    Key: key,
    Conditions: [['content-length-range', 1, 1024], ['eq', '$Content-Type', 'video/webm']],
    Fields: { 'Content-Type': 'video/webm' },
    Expires: 60,
  });
  const send = (fields: Record<string, string>, size: number) =>
    browserFormPost(post.url, fields, new Uint8Array(size), 'video/webm');

  const ok = await send(post.fields, 512);
  assert.ok(ok.status === 204 || ok.status === 200 || ok.status === 201, `${ok.status} ${await ok.text()}`);

  const tooBig = await send(post.fields, 4096);
  const tooBigBody = await tooBig.text();
  assert.equal(tooBig.status, 400, tooBigBody);
  assert.match(tooBigBody, /EntityTooLarge/);

  const signature = post.fields['X-Amz-Signature'];
  const tampered = await send({
    ...post.fields,
    'X-Amz-Signature': signature.replace(/^./, signature[0] === 'a' ? 'b' : 'a'),
  }, 512);
  const tamperedBody = await tampered.text();
  assert.equal(tampered.status, 403, tamperedBody);
  assert.match(tamperedBody, /SignatureDoesNotMatch/);

  const putUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 60 });
  const tamperedPut = await fetch(
    putUrl.replace(/X-Amz-Signature=([0-9a-f])/, (_m, c) => `X-Amz-Signature=${c === 'a' ? 'b' : 'a'}`),
    {
      method: 'PUT',
      body: 'x',
    },
  );
  assert.equal(tamperedPut.status, 403, await tamperedPut.text());
});

Deno.test("mail: a message sent with the functions' mail configuration is read back through the Mailpit API", async () => {
  const to = uniqueEmail('mail');
  const subject = `Entretien vidéo ${crypto.randomUUID().slice(0, 6)}`;
  // The stack's own environment (SMTP_ALLOW_PLAINTEXT for its Mailpit), parsed as the invitations function does.
  await createMailTransport(loadMailConfig()).send({
    from: env('MAIL_FROM'),
    to,
    subject,
    text: 'Bonjour,\n.\nUne ligne avec un point seul au-dessus.',
  });
  const [message] = await eventually(async () => (await mailsTo(to)).length > 0 && await mailsTo(to));
  assert.equal(message.Subject, subject);
  const full = await mailText(message.ID);
  assert.match(full.Text, /Bonjour,\r?\n\.\r?\nUne ligne/);
});

const functionNames = Array.from(Deno.readDirSync(new URL('../functions', import.meta.url)))
  .filter((e) => e.isDirectory)
  .map((e) => e.name)
  .sort();

for (const name of functionNames) {
  Deno.test(`functions: ${name} answers at /functions/v1/${name} with its health check and OpenAPI document`, async () => {
    const health = await fetch(`${env('SUPABASE_URL')}/functions/v1/${name}/health`);
    assert.equal(health.status, 200, await health.clone().text());
    assert.ok(health.headers.get('x-request-id'));
    await health.body?.cancel();
    const doc = await (await fetch(`${env('SUPABASE_URL')}/functions/v1/${name}/openapi.json`)).json();
    assert.match(doc.openapi, /^3\./);
    assert.ok(Object.keys(doc.paths).length > 0);
  });
}

Deno.test('stack control: a test can stop the mail server and start it again', async () => {
  const transport = createMailTransport(loadMailConfig(), { timeoutMs: 2000 });
  const message = { from: env('MAIL_FROM'), to: uniqueEmail('down'), subject: 'while down', text: 'x' };
  await stackService('mailpit', 'pause');
  try {
    await assert.rejects(transport.send(message), (e) => isMailError(e) && e.code === 'mail_unavailable');
  } finally {
    await stackService('mailpit', 'resume');
  }
  await eventually(() => transport.send(message).then(() => true, () => false));
});

Deno.test('database: `supabase db lint` finds nothing to report in the project schemas', async () => {
  const out = await new Deno.Command(env('SUPABASE_CLI'), {
    args: [
      'db',
      'lint',
      '--db-url',
      `${env('SUPABASE_DB_URL')}?sslmode=disable`,
      '--schema',
      'public,private',
      '--level',
      'warning',
      '--fail-on',
      'warning',
    ],
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  assert.ok(out.success, text);
  assert.match(text, /No schema errors found/);
});
