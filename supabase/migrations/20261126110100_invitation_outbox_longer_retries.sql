-- Invitation outbox: retry for about two and a half hours before giving up, not ten minutes.
--
-- With the backoff of private.email_backoff (5 s doubling, capped at one hour), 8 attempts gave up after ~10 minutes,
-- shorter than a typical mail-provider incident. 12 attempts wait 5 s, 10 s ... 3,600 s: about 2 h 25 min in all.

alter table private.email_outbox alter column max_attempts set default 12;
