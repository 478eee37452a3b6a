// Schemas that several functions share. Import `z` from '@hono/zod-openapi' in route files so `.openapi()` exists;
// it is the same zod instance as here.
import { z } from '@hono/zod-openapi';

export const uuid = z.uuid().openapi({ example: '8f14e45f-ceea-467f-a8f0-3b2c1e5d9a10' });

/** An email address, trimmed and lowercased before it is checked, as the database compares emails. */
export const email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email().max(254))
  .openapi({ type: 'string', format: 'email', example: 'ada@example.com' });

/**
 * One line of human text, trimmed: no control characters (tab, CR, LF, …). Such text reaches email headers and file
 * names, and the database refuses it too (the single-line CHECK constraints).
 */
export function singleLine(max: number) {
  return z.string().trim().min(1).max(max).regex(
    // Control characters are the point here; spelled as ranges (not \p{Cc}) so the OpenAPI pattern is portable.
    // deno-lint-ignore no-control-regex
    /^[^\x00-\x1f\x7f-\x9f]*$/,
    'must be one line, without control characters',
  );
}

/** An absolute http(s) URL as the database accepts it: no spaces or control characters anywhere. */
export const webUrl = z.url({ protocol: /^https?$/ }).max(500).regex(/^\S+$/, 'must not contain spaces')
  .openapi({ example: 'https://www.linkedin.com/in/ada' });

/** `?limit=&offset=`, with a cap so a request cannot ask for the whole table. */
export const pagination = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25).openapi({ example: 25 }),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).openapi({ example: 0 }),
});
export type Pagination = z.infer<typeof pagination>;

/** An ISO 8601 timestamp with an offset (`2026-03-01T12:00:00Z`). */
export const timestamp = z.iso.datetime({ offset: true }).openapi({ example: '2026-03-01T12:00:00Z' });

/** A path parameter named `name` holding a uuid, documented as such. */
export function uuidParam<N extends string>(name: N) {
  return z.object({ [name]: z.uuid().openapi({ param: { name, in: 'path' } }) } as { [K in N]: z.ZodUUID });
}

/** Whether `value` names an IANA time zone (`Europe/Paris`, `UTC`), as the database's is_known_time_zone does. */
export function isKnownTimeZone(value: string): boolean {
  if (value.length > 64 || !/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/**
 * An IANA time zone name. A name that is not one answers 400 `invalid_time_zone` (the code travels in the issue's
 * params, which the validation hook turns into the error code).
 */
export const timeZone = z.string().max(64).refine(isKnownTimeZone, {
  message: 'must be an IANA time zone such as Europe/Paris',
  params: { code: 'invalid_time_zone' },
}).openapi({ example: 'Europe/Paris', description: 'IANA time zone' });
