import assert from 'node:assert/strict';
import { ConfigError, isConfigError, loadConfig, loadMailConfig, loadStorageConfig } from './config.ts';
import { testEnv } from './testing.ts';

function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    assert.ok(isConfigError(error), `expected a ConfigError, got ${error}`);
    return error;
  }
  assert.fail('expected a ConfigError');
}

Deno.test('a complete environment parses into typed values with safe defaults', () => {
  const config = loadConfig(testEnv({ SUPABASE_URL: 'https://abc.supabase.co/', LOG_LEVEL: undefined }));
  assert.equal(config.supabaseUrl, 'https://abc.supabase.co');
  assert.equal(config.dbPoolMax, 5);
  assert.equal(config.logLevel, 'info');
  assert.equal(config.jwt.issuer, 'https://abc.supabase.co/auth/v1');
  assert.equal(config.jwt.jwksUrl, 'https://abc.supabase.co/auth/v1/.well-known/jwks.json');
  assert.equal(config.jwt.jwks, null);
  assert.deepEqual(config.corsOrigins, ['http://localhost:3000'], 'CORS defaults to the site origin');
});

Deno.test('a missing variable fails with one line naming it', () => {
  const error = configErrorOf(() => loadConfig(testEnv({ SUPABASE_DB_URL: undefined })));
  assert.equal(error.message, 'invalid function configuration: SUPABASE_DB_URL is missing');
  assert.deepEqual(error.variables, ['SUPABASE_DB_URL']);
  assert.ok(!error.message.includes('\n'));
});

Deno.test('an empty variable counts as missing', () => {
  const error = configErrorOf(() => loadConfig(testEnv({ SUPABASE_SERVICE_ROLE_KEY: '  ' })));
  assert.deepEqual(error.variables, ['SUPABASE_SERVICE_ROLE_KEY']);
  assert.match(error.message, /SUPABASE_SERVICE_ROLE_KEY is missing/);
});

Deno.test('every bad variable is named on the same single line', () => {
  const error = configErrorOf(() =>
    loadConfig(
      testEnv({ SUPABASE_URL: undefined, DB_POOL_MAX: 'lots', LOG_LEVEL: 'chatty', CORS_ORIGINS: 'not a url' }),
    )
  );
  assert.deepEqual(error.variables.sort(), ['CORS_ORIGINS', 'DB_POOL_MAX', 'LOG_LEVEL', 'SUPABASE_URL']);
  assert.match(error.message, /DB_POOL_MAX must be an integer from 1 to 100/);
  assert.match(error.message, /LOG_LEVEL must be one of debug, info, warn, error/);
  assert.equal(error.message.split('\n').length, 1);
});

Deno.test('an invalid secret-bearing variable is named without echoing its value', () => {
  const error = configErrorOf(() => loadConfig(testEnv({ SUPABASE_DB_URL: 'mysql://root:hunter2@db/app' })));
  assert.deepEqual(error.variables, ['SUPABASE_DB_URL']);
  assert.ok(!error.message.includes('hunter2'));
});

Deno.test('SUPABASE_JWKS must be a JWKS; a bare key array is accepted', () => {
  const key = { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k' };
  assert.deepEqual(loadConfig(testEnv({ SUPABASE_JWKS: JSON.stringify({ keys: [key] }) })).jwt.jwks, { keys: [key] });
  assert.deepEqual(loadConfig(testEnv({ SUPABASE_JWKS: JSON.stringify([key]) })).jwt.jwks, { keys: [key] });
  assert.deepEqual(configErrorOf(() => loadConfig(testEnv({ SUPABASE_JWKS: '{nope' }))).variables, ['SUPABASE_JWKS']);
  assert.deepEqual(configErrorOf(() => loadConfig(testEnv({ SUPABASE_JWKS: '{"keys":[]}' }))).variables, [
    'SUPABASE_JWKS',
  ]);
});

Deno.test('CORS_ORIGINS is a comma list of origins, or * for any', () => {
  assert.deepEqual(
    loadConfig(testEnv({ CORS_ORIGINS: 'https://app.example.com, http://localhost:5173/' })).corsOrigins,
    ['https://app.example.com', 'http://localhost:5173'],
  );
  assert.equal(loadConfig(testEnv({ CORS_ORIGINS: '*' })).corsOrigins, '*');
  const error = configErrorOf(() => loadConfig(testEnv({ CORS_ORIGINS: 'https://app.example.com/path' })));
  assert.deepEqual(error.variables, ['CORS_ORIGINS']);
});

Deno.test('JWT_ISSUER overrides the issuer derived from SUPABASE_URL', () => {
  assert.equal(loadConfig(testEnv({ JWT_ISSUER: 'https://auth.example.com' })).jwt.issuer, 'https://auth.example.com');
});

Deno.test('storage needs only the S3 variables, with region, bucket and path style defaulted', () => {
  const storage = loadStorageConfig({ S3_ACCESS_KEY_ID: 'id', S3_SECRET_ACCESS_KEY: 'secret' });
  assert.deepEqual(storage, {
    endpoint: null,
    region: 'us-east-1',
    bucket: 'videos',
    accessKeyId: 'id',
    secretAccessKey: 'secret',
    forcePathStyle: false,
  });
  const local = loadStorageConfig({
    S3_ENDPOINT: 'http://127.0.0.1:9000/',
    S3_ACCESS_KEY_ID: 'id',
    S3_SECRET_ACCESS_KEY: 'secret',
    S3_FORCE_PATH_STYLE: 'true',
  });
  assert.equal(local.endpoint, 'http://127.0.0.1:9000');
  assert.equal(local.forcePathStyle, true);
  const error = configErrorOf(() => loadStorageConfig({ S3_ACCESS_KEY_ID: 'id', S3_FORCE_PATH_STYLE: 'maybe' }));
  assert.equal(
    error.message,
    'invalid storage configuration: S3_SECRET_ACCESS_KEY is missing; S3_FORCE_PATH_STYLE must be true or false',
  );
});

Deno.test('a function without S3 does not need the S3 variables', () => {
  const env = testEnv();
  assert.equal(env.S3_ACCESS_KEY_ID, undefined);
  assert.doesNotThrow(() => loadConfig(env));
});

Deno.test('mail needs a host and a sender; user and password go together', () => {
  assert.deepEqual(loadMailConfig({ SMTP_HOST: 'smtp.example.com', MAIL_FROM: 'Interviews <no-reply@example.com>' }), {
    transport: 'smtp',
    host: 'smtp.example.com',
    port: 465,
    user: null,
    pass: null,
    secure: true,
    allowPlaintext: false,
    from: 'Interviews <no-reply@example.com>',
  });
  const error = configErrorOf(() =>
    loadMailConfig({ SMTP_HOST: 'h', SMTP_USER: 'u', MAIL_FROM: 'a@b.c', SMTP_PORT: '70000' })
  );
  assert.deepEqual(error.variables.sort(), ['SMTP_PASS', 'SMTP_PORT']);
  assert.deepEqual(configErrorOf(() => loadMailConfig({ SMTP_HOST: 'h', MAIL_FROM: 'nobody' })).variables, [
    'MAIL_FROM',
  ]);
});

Deno.test('SMTP: implicit TLS on 465, STARTTLS (required unless plaintext is allowed) on another port', () => {
  const base = { SMTP_HOST: 'smtp.example.com', MAIL_FROM: '"Dupont, Marie" <rh@example.com>' };
  const starttls = loadMailConfig({ ...base, SMTP_PORT: '2525' });
  assert.equal(starttls.transport, 'smtp');
  assert.ok(starttls.transport === 'smtp');
  assert.equal(starttls.secure, false);
  assert.equal(starttls.allowPlaintext, false);
  assert.equal(starttls.from, '"Dupont, Marie" <rh@example.com>');
  const local = loadMailConfig({ ...base, SMTP_PORT: '54325', SMTP_ALLOW_PLAINTEXT: 'true' });
  assert.ok(local.transport === 'smtp' && local.allowPlaintext === true && local.secure === false);
  const tlsElsewhere = loadMailConfig({ ...base, SMTP_PORT: '2465', SMTP_SECURE: 'true' });
  assert.ok(tlsElsewhere.transport === 'smtp' && tlsElsewhere.secure === true);
  assert.deepEqual(
    configErrorOf(() => loadMailConfig({ ...base, SMTP_ALLOW_PLAINTEXT: 'maybe' })).variables,
    ['SMTP_ALLOW_PLAINTEXT'],
  );
});

Deno.test('SMTP ports 25 and 587, which hosted Edge Functions cannot reach, are refused in one line unless allowed', () => {
  const base = { SMTP_HOST: 'smtp.example.com', MAIL_FROM: 'a@example.com' };
  for (const port of ['25', '587']) {
    const error = configErrorOf(() => loadMailConfig({ ...base, SMTP_PORT: port }));
    assert.deepEqual(error.variables, ['SMTP_PORT']);
    assert.match(error.message, new RegExp(`^invalid mail configuration: SMTP_PORT is ${port}, which hosted Supabase`));
    assert.match(error.message, /465/);
    assert.ok(!error.message.includes('\n'));
    const allowed = loadMailConfig({ ...base, SMTP_PORT: port, SMTP_ALLOW_BLOCKED_PORTS: 'true' });
    assert.ok(allowed.transport === 'smtp' && allowed.port === Number(port) && allowed.secure === false);
  }
  // Reported together with the other problems of the same environment.
  const both = configErrorOf(() => loadMailConfig({ ...base, SMTP_PORT: '587', SMTP_USER: 'u' }));
  assert.deepEqual(both.variables.sort(), ['SMTP_PASS', 'SMTP_PORT']);
});

Deno.test('MAIL_TRANSPORT=api needs a key and a sender, not SMTP_HOST; an unknown transport is named', () => {
  assert.deepEqual(loadMailConfig({ MAIL_TRANSPORT: 'api', MAIL_API_KEY: 're_123', MAIL_FROM: 'a@example.com' }), {
    transport: 'api',
    apiUrl: 'https://api.resend.com',
    apiKey: 're_123',
    from: 'a@example.com',
  });
  const custom = loadMailConfig({
    MAIL_TRANSPORT: 'api',
    MAIL_API_URL: 'http://127.0.0.1:8080/',
    MAIL_API_KEY: 'k',
    MAIL_FROM: 'a@example.com',
  });
  assert.ok(custom.transport === 'api' && custom.apiUrl === 'http://127.0.0.1:8080');
  const missing = configErrorOf(() => loadMailConfig({ MAIL_TRANSPORT: 'api', MAIL_API_URL: 'ftp://x' }));
  assert.equal(
    missing.message,
    'invalid mail configuration: MAIL_API_URL must be an http(s) URL; MAIL_API_KEY is missing; MAIL_FROM is missing',
  );
  const unknown = configErrorOf(() =>
    loadMailConfig({ MAIL_TRANSPORT: 'sendmail', SMTP_HOST: 'h', MAIL_FROM: 'a@b.c' })
  );
  assert.equal(unknown.message, 'invalid mail configuration: MAIL_TRANSPORT must be smtp or api');
});
