// What integration tests share: the stack's environment, unique identities, clients acting as a given user.
import { createClient, type SupabaseClient } from '@supabase/supabase-js';

/** A variable set by `deno task test`; a missing one means the test is not running under the test stack. */
export function env(name: string): string {
  const value = Deno.env.get(name);
  if (!value) throw new Error(`${name} is not set: run the integration tests with \`deno task test\``);
  return value;
}

export function uniqueEmail(prefix: string): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 8)}@example.test`;
}

export function anonClient(): SupabaseClient {
  return createClient(env('SUPABASE_URL'), env('SUPABASE_ANON_KEY'), {
    auth: { persistSession: false, autoRefreshToken: false },
  });
}

export function serviceClient(): SupabaseClient {
  return createClient(env('SUPABASE_URL'), env('SUPABASE_SERVICE_ROLE_KEY'), {
    auth: { persistSession: false, autoRefreshToken: false },
  });
}

/** Signs up (or creates with the admin API when `appRole` is given) and returns a client signed in as that user. */
export async function signedInClient(
  options: {
    email?: string;
    password?: string;
    role?: 'hiring_manager' | 'candidate';
    appRole?: 'admin';
    data?: Record<string, unknown>;
  } = {},
): Promise<{ client: SupabaseClient; userId: string; email: string; accessToken: string }> {
  const email = options.email ?? uniqueEmail(options.appRole ?? options.role ?? 'user');
  const password = options.password ?? 'a-long-test-password-1';
  if (options.appRole) {
    const { error } = await serviceClient().auth.admin.createUser({
      email,
      password,
      email_confirm: true,
      app_metadata: { role: options.appRole },
      user_metadata: options.data,
    });
    if (error) throw error;
  } else {
    const { error } = await anonClient().auth.signUp({
      email,
      password,
      options: { data: { role: options.role ?? 'candidate', ...options.data } },
    });
    if (error) throw error;
  }
  const client = anonClient();
  const { data, error } = await client.auth.signInWithPassword({ email, password });
  if (error) throw error;
  return { client, userId: data.user.id, email, accessToken: data.session.access_token };
}

/** Reads the messages Mailpit holds for one recipient, newest first. */
export async function mailsTo(address: string): Promise<Array<{ ID: string; Subject: string }>> {
  const res = await fetch(`${env('MAILPIT_URL')}/api/v1/search?query=${encodeURIComponent(`to:"${address}"`)}`);
  if (!res.ok) throw new Error(`mailpit search failed: ${res.status}`);
  return (await res.json()).messages;
}

export async function mailText(id: string): Promise<{ Text: string; HTML: string; Subject: string }> {
  const res = await fetch(`${env('MAILPIT_URL')}/api/v1/message/${id}`);
  if (!res.ok) throw new Error(`mailpit message failed: ${res.status}`);
  return await res.json();
}

/** Polls until `check` returns a value, for work done after commit (outbox, emails). */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * A multipart/form-data body serialized as browsers do it, ending `--boundary--\r\n`. Deno's FormData omits that
 * final CRLF, and versitygw then miscounts the file's size by two bytes; browsers and curl always send it.
 */
export async function browserFormPost(
  url: string,
  fields: Record<string, string>,
  file: Uint8Array,
  contentType: string,
) {
  const boundary = `----formdata-${crypto.randomUUID()}`;
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  parts.push(
    encoder.encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="blob"\r\nContent-Type: ${contentType}\r\n\r\n`,
    ),
  );
  parts.push(file, encoder.encode(`\r\n--${boundary}--\r\n`));
  return await fetch(url, {
    method: 'POST',
    body: new Blob(parts as BlobPart[]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

/** Stops or restarts one service of the test stack (see stack/run-tests.ts); after a resume, poll until it answers. */
export async function stackService(
  name: 'mailpit' | 's3' | 'auth' | 'rest',
  action: 'pause' | 'resume',
): Promise<void> {
  const res = await fetch(`${env('STACK_CONTROL_URL')}/services/${name}/${action}`, { method: 'POST' });
  if (!res.ok) throw new Error(`stack control ${name} ${action}: ${await res.text()}`);
  await res.body?.cancel();
}
