-- The report's counting functions keep one plan per connection instead of planning their long queries on every write.
--
-- private.session_report_parts_of() and private.count_sessions() take an array of session ids. For a parameter like
-- that PostgreSQL's plan cache compares the generic plan's estimate (ten ids) with the custom plans' (the one id a
-- rating's write passes) and keeps planning a custom plan each time: 2 to 3 ms of planning for 0.6 ms of work. In the
-- benchmark, one changed rating in the 10,000-session campaign took 2.35 ms against 0.52 ms in the 1,000-session one
-- (a growth check missed), and EXPLAIN ANALYZE gave the counting trigger 2.19 ms.
--
-- Measured on the benchmark's dataset (dev database, one connection, after warm-up), custom plans -> generic plans:
--   session_report_parts_of, 1 session:        2.9 ms -> 0.6 ms
--   count_sessions, 1 session:               2.3-2.9 ms -> 0.6-0.7 ms
--   count_sessions, 1,000 sessions:           100 ms -> 42 ms
--   count_sessions, 10,000 sessions:          2.9 s -> 2.5 s
--   a changed rating (the whole UPDATE):    3.5-4.0 ms -> 1.6-2.5 ms (the counting trigger 2.19 -> 0.92 ms)
-- The generic plan walks the given ids through the indexes, which is also what a large array wants.
--
-- Changes: private.session_report_parts_of(uuid[]) and private.count_sessions(uuid[]) get
-- `set plan_cache_mode = force_generic_plan` (their statements only; callers' plans are untouched).

alter function private.session_report_parts_of(uuid[]) set plan_cache_mode = force_generic_plan;
alter function private.count_sessions(uuid[]) set plan_cache_mode = force_generic_plan;
