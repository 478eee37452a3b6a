import assert from 'node:assert/strict';
import { SmtpError } from '../../shared/smtp.ts';
import { isPermanentFailure } from './outbox.ts';

Deno.test('a refused recipient (5xx) or an unbuildable message is not retried; outages and 4xx are', () => {
  assert.equal(isPermanentFailure(new SmtpError('smtp_rejected', 'no such user', 550)), true);
  assert.equal(isPermanentFailure(new SmtpError('smtp_invalid_message', 'line break in header')), true);
  assert.equal(isPermanentFailure(new SmtpError('smtp_rejected', 'greylisted', 451)), false);
  assert.equal(isPermanentFailure(new SmtpError('smtp_unavailable', 'connection refused')), false);
  assert.equal(isPermanentFailure(new Error('anything else')), false);
});
