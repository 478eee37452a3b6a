import assert from 'node:assert/strict';
import { MailError } from '../../shared/mail.ts';
import { isPermanentFailure } from './outbox.ts';

Deno.test('a refused message (SMTP 5xx, API 400/422) or an unsendable one is not retried; outages and 4xx are', () => {
  assert.equal(isPermanentFailure(new MailError('mail_rejected', 'no such user', { replyCode: 550 })), true);
  assert.equal(isPermanentFailure(new MailError('mail_rejected', 'invalid from', { status: 422 })), true);
  assert.equal(isPermanentFailure(new MailError('mail_invalid_message', 'no recipient')), true);
  assert.equal(isPermanentFailure(new MailError('mail_unavailable', 'greylisted', { replyCode: 451 })), false);
  assert.equal(isPermanentFailure(new MailError('mail_unavailable', 'no STARTTLS', { replyCode: 502 })), false);
  assert.equal(isPermanentFailure(new MailError('mail_unavailable', 'connection refused')), false);
  assert.equal(isPermanentFailure(new MailError('mail_unavailable', 'rate limited', { status: 429 })), false);
  assert.equal(isPermanentFailure(new Error('anything else')), false);
});
