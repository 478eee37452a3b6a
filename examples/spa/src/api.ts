// Calls to the edge functions (invitations, activation, uploads, analytics) and one error type for everything the
// backend refuses. The functions answer errors as `{ error: { code, message, details? } }`; PostgREST answers RPC and
// table errors with the SQL error's message, which for this project's own refusals is the code itself
// (`session_deadline_passed`). Screens switch on `code`, never on `message` (see messages.ts).
import { supabase, SUPABASE_ANON_KEY, SUPABASE_URL } from './supabase.ts';

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
  /** Worth trying again later: no network, the service is briefly down, or a rate limit. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

interface CallOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** A FormData or CSV body, sent as is. */
  raw?: BodyInit;
  contentType?: string;
}

/** Calls `/functions/v1/<path>` with the signed-in user's access token (or none). */
export async function callFunction<T>(
  path: string,
  options: CallOptions = {},
): Promise<T> {
  const { data } = await supabase.auth.getSession();
  const headers: Record<string, string> = { apikey: SUPABASE_ANON_KEY };
  if (data.session) {
    headers.authorization = `Bearer ${data.session.access_token}`;
  }
  let body: BodyInit | undefined = options.raw;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  } else if (options.contentType) {
    headers['content-type'] = options.contentType;
  }
  let res: Response;
  try {
    res = await fetch(`${SUPABASE_URL}/functions/v1/${path}`, {
      method: options.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      body,
    });
  } catch {
    throw new ApiError(0, 'network_error', 'The server cannot be reached');
  }
  const type = res.headers.get('content-type') ?? '';
  if (!res.ok) {
    const payload = type.includes('json') ? await res.json().catch(() => null) : null;
    const error = payload?.error ?? {};
    const retryAfter = Number(res.headers.get('retry-after')) || undefined;
    throw new ApiError(
      res.status,
      error.code ?? `http_${res.status}`,
      error.message ?? res.statusText,
      error.details,
      retryAfter,
    );
  }
  if (type.includes('json')) return await res.json() as T;
  return await res.text() as T;
}

/** A PostgREST / RPC error as an ApiError: the project's SQL errors carry their code as the message. */
type SqlError = { code?: string; message: string; details?: string | null };

export function fromPostgrest(error: SqlError): ApiError {
  const own = /^[a-z][a-z_]+$/.test(error.message);
  const status = error.code === '42501' ? 403 : error.code?.startsWith('PT') ? Number(error.code.slice(2)) : 400;
  if (
    error.message === 'Failed to fetch' || error.message.startsWith('TypeError')
  ) {
    return new ApiError(0, 'network_error', 'The server cannot be reached');
  }
  return new ApiError(
    status,
    own ? error.message : (error.code ?? 'database_error'),
    error.message,
    error.details,
  );
}

/** Unwraps a supabase-js answer, throwing its error as an ApiError. */
export async function must<R extends { data: unknown; error: SqlError | null }>(
  query: PromiseLike<R>,
): Promise<NonNullable<R['data']>> {
  const { data, error } = await query;
  if (error) throw fromPostgrest(error);
  return data as NonNullable<R['data']>;
}
