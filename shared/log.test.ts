import assert from 'node:assert/strict';
import { createLogger, type LogLevel } from './log.ts';

function capture(level: LogLevel) {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level, fields: { fn: 'demo' }, sink: (line) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

Deno.test('a line is one JSON object with ts, level, msg and the logger fields', () => {
  const { logger, lines } = capture('info');
  logger.child({ request_id: 'r1' }).info('hello', { n: 1 });
  assert.equal(lines.length, 1);
  const { ts, ...rest } = lines[0];
  assert.ok(!Number.isNaN(Date.parse(String(ts))));
  assert.deepEqual(rest, { level: 'info', msg: 'hello', fn: 'demo', request_id: 'r1', n: 1 });
});

Deno.test('lines below the level are dropped', () => {
  const { logger, lines } = capture('warn');
  logger.debug('d');
  logger.info('i');
  logger.warn('w');
  logger.error('e');
  assert.deepEqual(lines.map((l) => l.level), ['warn', 'error']);
});

Deno.test('errors are logged with name, message, stack and cause', () => {
  const { logger, lines } = capture('debug');
  logger.error('failed', { error: new Error('outer', { cause: new TypeError('inner') }) });
  const error = lines[0].error as Record<string, unknown>;
  assert.equal(error.message, 'outer');
  assert.equal(typeof error.stack, 'string');
  assert.equal((error.cause as Record<string, unknown>).name, 'TypeError');
});

Deno.test('an unserializable field does not lose the line', () => {
  const { logger, lines } = capture('debug');
  logger.info('big', { n: 10n });
  assert.equal(lines[0].msg, 'big');
  assert.equal(lines[0].log_error, 'unserializable fields');
});
