// Structured logs: one JSON object per line, so the Supabase log explorer (and jq locally) can filter on fields.
// A logger carries fields (fn, request_id) that every line it writes repeats.

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = typeof LOG_LEVELS[number];

export type LogFields = Record<string, unknown>;

export interface Logger {
  readonly level: LogLevel;
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

/** Where a finished line goes; tests pass their own to read what was logged. */
export type LogSink = (line: string, level: LogLevel) => void;

const consoleSink: LogSink = (line, level) => {
  // stderr for problems, stdout for the rest: both reach the platform's log collector.
  if (level === 'error' || level === 'warn') console.error(line);
  else console.log(line);
};

/** Turns an Error (and its cause chain) into plain fields; JSON.stringify would print `{}`. */
export function serializeError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return error;
  const fields: LogFields = { name: error.name, message: error.message };
  const code = (error as { code?: unknown }).code;
  if (code !== undefined) fields.code = code;
  if (error.stack) fields.stack = error.stack;
  if (error.cause !== undefined && depth < 3) fields.cause = serializeError(error.cause, depth + 1);
  return fields;
}

export function createLogger(
  options: { level?: LogLevel; fields?: LogFields; sink?: LogSink } = {},
): Logger {
  const level = options.level ?? 'info';
  const base = options.fields ?? {};
  const sink = options.sink ?? consoleSink;
  const threshold = LOG_LEVELS.indexOf(level);

  function write(lineLevel: LogLevel, msg: string, fields?: LogFields): void {
    if (LOG_LEVELS.indexOf(lineLevel) < threshold) return;
    const entry: LogFields = { ts: new Date().toISOString(), level: lineLevel, msg, ...base };
    for (const [key, value] of Object.entries(fields ?? {})) {
      entry[key] = value instanceof Error ? serializeError(value) : value;
    }
    let line: string;
    try {
      line = JSON.stringify(entry);
    } catch {
      // A field that cannot be serialized (a cycle, a bigint) must not lose the line.
      line = JSON.stringify({ ts: entry.ts, level: lineLevel, msg, ...base, log_error: 'unserializable fields' });
    }
    sink(line, lineLevel);
  }

  return {
    level,
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
    child: (fields) => createLogger({ level, sink, fields: { ...base, ...fields } }),
  };
}
