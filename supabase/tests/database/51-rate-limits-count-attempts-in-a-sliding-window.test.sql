-- private.hit_rate_limit: counts attempts per (bucket, key) in a sliding window, refuses beyond the maximum without
-- storing the refusal, forgets attempts older than the window, and stores keys only hashed.
begin;
set local search_path = public, extensions, tests;
select plan(14);

select is(private.hit_rate_limit('t_ip', '203.0.113.7', 3, interval '10 minutes'), 0, 'the first attempt is allowed');
select is(private.hit_rate_limit('t_ip', '203.0.113.7', 3, interval '10 minutes'), 0, 'the second attempt is allowed');
select is(private.hit_rate_limit('t_ip', '203.0.113.7', 3, interval '10 minutes'), 0, 'the third attempt is allowed');
select cmp_ok(private.hit_rate_limit('t_ip', '203.0.113.7', 3, interval '10 minutes'), '>', 590,
  'the fourth attempt in the window is refused with the seconds to wait (about the window)');
select is((select count(*)::int from private.rate_limit_hits where bucket = 't_ip'), 3,
  'a refused attempt is not stored, so a key holds at most max_hits rows');
select is(private.hit_rate_limit('t_ip', '198.51.100.1', 3, interval '10 minutes'), 0,
  'another key has its own count');
select is(private.hit_rate_limit('t_token', '203.0.113.7', 3, interval '10 minutes'), 0,
  'the same key in another bucket has its own count');
select is((select count(*)::int from private.rate_limit_hits
            where bucket = 't_ip' and key_hash = sha256('203.0.113.7'::bytea)), 3,
  'keys are stored as their sha256, never as the address itself');

-- the window slides: the oldest attempts age out one by one
update private.rate_limit_hits set hit_at = hit_at - interval '9 minutes 50 seconds'
 where bucket = 't_ip' and key_hash = sha256('203.0.113.7'::bytea)
   and hit_at = (select min(hit_at) from private.rate_limit_hits where bucket = 't_ip'
                    and key_hash = sha256('203.0.113.7'::bytea));
select ok(private.hit_rate_limit('t_ip', '203.0.113.7', 3, interval '10 minutes') between 1 and 10,
  'the wait is counted from the oldest attempt in the window');
update private.rate_limit_hits set hit_at = hit_at - interval '11 minutes'
 where bucket = 't_ip' and key_hash = sha256('203.0.113.7'::bytea)
   and hit_at = (select min(hit_at) from private.rate_limit_hits where bucket = 't_ip'
                    and key_hash = sha256('203.0.113.7'::bytea));
select is(private.hit_rate_limit('t_ip', '203.0.113.7', 3, interval '10 minutes'), 0,
  'once the oldest attempt leaves the window, one more attempt is allowed');

-- old rows of keys that never come back are pruned by later calls
insert into private.rate_limit_hits (bucket, key_hash, hit_at)
select 't_old', sha256(i::text::bytea), now() - interval '2 days' from generate_series(1, 50) i;
select is(private.hit_rate_limit('t_other', 'x', 3, interval '1 minute'), 0, 'a call for an unrelated key');
select is((select count(*)::int from private.rate_limit_hits where bucket = 't_old'), 0,
  'attempts older than a day are pruned by any call');

select throws_ok($$ select private.hit_rate_limit('t_ip', 'k', 0, interval '1 minute') $$,
  '22023', 'invalid_rate_limit', 'a limit of zero attempts is a programming error');

select tests.authenticate_as_service_role();
select throws_ok($$ select private.hit_rate_limit('t_ip', 'k', 3, interval '1 minute') $$,
  '42501', null, 'no client role can count attempts (or fill the counters of others)');
reset role;

select * from finish();
rollback;
