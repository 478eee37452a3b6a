-- Share links (issue 14, item 7): an owner or editor of a campaign gives an outside reviewer (a colleague outside the
-- organization, a client) a time-limited, revocable link to one session's answers, without an account. The link is
-- playback only, or playback plus one rating per answer.
--
-- The token is 244 random bits as base64url text (two v4 UUIDs' bytes), returned once by create_share_link; only
-- sha256(utf8(token)) is stored, in private.share_link_tokens, out of every client's reach. A link lives at most 30
-- days (default 7) and can be revoked at once. The uploads function answers the public endpoints (POST, token in the
-- body): it calls private.open_share_link / private.rate_by_share_link with the token's hash and signs the playback
-- URLs. Every opening is logged (public.share_link_views: when, which link, which answers were handed out); the
-- campaign's team reads links, views and link ratings through PostgREST under RLS.
--
-- Blind review holds for the team: a rating by link is its own row (public.share_link_ratings, one per link and
-- answer, final), never an evaluation. Owners, editors and admins read every link rating of their campaigns; a
-- campaign reviewer reads the link ratings of an answer only once they have rated that answer themselves, as for
-- colleagues' evaluations, and a blind reviewer's score is final once a link has rated the same answer too
-- (private.keep_blind_scores_final is replaced to say so). The outside reviewer sees only their own link's ratings.
--
-- Errors a caller sees (SQLSTATE, message; PostgREST status / function status):
--   PT404 session_not_found               create_share_link for a session the caller cannot read        (404)
--   42501 share_link_needs_editor         create or revoke as a reviewer (owners and editors only)      (403)
--   23514 share_link_expiry_out_of_range  expires_at not in the future or more than 30 days ahead      (400/422)
--   PT404 share_link_not_found            revoke an unknown link; a public call with an unknown token  (404)
--   PT410 share_link_revoked              a public call with a revoked link's token                    (410)
--   PT410 share_link_expired              a public call with an expired link's token                   (410)
--   PT403 share_link_read_only            rating through a playback-only link                          (403)
--   PT404 response_not_found              rating an answer that is not a submitted answer of the session (404)
--   PT409 share_link_already_rated        a second rating of one answer through one link               (409)

-- =====================================================================================================================
-- types
-- =====================================================================================================================

create type public.share_link_mode as enum ('playback', 'playback_and_rating');

-- =====================================================================================================================
-- tables
-- =====================================================================================================================

create table public.share_links (
  id uuid primary key default gen_random_uuid(),
  session_id uuid not null references public.interview_sessions (id) on delete cascade,
  campaign_id uuid not null references public.campaigns (id) on delete cascade,
  mode public.share_link_mode not null default 'playback',
  label text not null default '' check (char_length(label) <= 200 and label !~ '[[:cntrl:]]'),
  created_by uuid references public.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  revoked_by uuid references public.profiles (id) on delete set null,
  constraint share_links_lifetime check (expires_at > created_at and expires_at <= created_at + interval '30 days')
);
comment on table public.share_links is
  'A link to one session''s answers for an outside reviewer (create_share_link, revoke_share_link). The token is '
  'never stored; its hash is in private.share_link_tokens.';
alter table public.share_links enable row level security;

create table private.share_link_tokens (
  share_link_id uuid primary key references public.share_links (id) on delete cascade,
  token_hash bytea not null unique
);
alter table private.share_link_tokens enable row level security;

create table public.share_link_views (
  id bigint generated always as identity primary key,
  share_link_id uuid not null references public.share_links (id) on delete cascade,
  session_id uuid not null references public.interview_sessions (id) on delete cascade,
  campaign_id uuid not null references public.campaigns (id) on delete cascade,
  viewed_at timestamptz not null default now(),
  response_ids uuid[] not null default '{}'
);
comment on table public.share_link_views is
  'Every opening of a share link: when, and the answers whose videos were handed out (response_ids).';
alter table public.share_link_views enable row level security;

create table public.share_link_ratings (
  id uuid primary key default gen_random_uuid(),
  share_link_id uuid not null references public.share_links (id) on delete cascade,
  response_id uuid not null references public.video_responses (id) on delete cascade,
  session_id uuid not null references public.interview_sessions (id) on delete cascade,
  campaign_id uuid not null references public.campaigns (id) on delete cascade,
  score smallint not null check (score between 1 and 5),
  comment text not null default '' check (char_length(comment) <= 5000),
  created_at timestamptz not null default now(),
  constraint share_link_ratings_share_link_id_response_id_key unique (share_link_id, response_id)
);
comment on table public.share_link_ratings is
  'A rating given through a share link (one per link and answer, final). Kept apart from evaluations: blind review '
  'applies to it as to a colleague''s evaluation.';
alter table public.share_link_ratings enable row level security;

-- =====================================================================================================================
-- indexes
-- =====================================================================================================================

create index share_links_session_id_idx on public.share_links (session_id);
create index share_links_campaign_id_idx on public.share_links (campaign_id);
create index share_links_created_by_idx on public.share_links (created_by);
create index share_links_revoked_by_idx on public.share_links (revoked_by);
create index share_link_views_share_link_id_idx on public.share_link_views (share_link_id, viewed_at);
create index share_link_views_session_id_idx on public.share_link_views (session_id);
create index share_link_views_campaign_id_idx on public.share_link_views (campaign_id);
create index share_link_ratings_response_id_idx on public.share_link_ratings (response_id);
create index share_link_ratings_session_id_idx on public.share_link_ratings (session_id);
create index share_link_ratings_campaign_id_idx on public.share_link_ratings (campaign_id);

-- =====================================================================================================================
-- triggers
-- =====================================================================================================================

-- A blind reviewer's score is final once anyone else rated the same response: a colleague (as before) or a share link
-- (whose rating the reviewer reads once they rated). Otherwise as in 20261202120000_blind_review_holds.sql.
create or replace function private.keep_blind_scores_final()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.score is distinct from old.score
     and old.reviewer_id = (select auth.uid())
     and not (old.campaign_id = any (private.editable_campaign_ids()))
     and (exists (select 1 from public.evaluations e
                   where e.response_id = old.response_id and e.reviewer_id <> old.reviewer_id)
          or exists (select 1 from public.share_link_ratings r where r.response_id = old.response_id)) then
    raise exception using errcode = '23514', message = 'score_final',
      detail = 'Someone else has rated this answer, and you could read their score: yours can no longer change.';
  end if;
  return new;
end
$$;

revoke all on function private.keep_blind_scores_final() from public, anon, authenticated;

-- =====================================================================================================================
-- helper functions
-- =====================================================================================================================

-- The usable link of a token hash, locked for share; else the coded error that says why there is none. Unknown,
-- revoked and expired tokens each have one code, and none says anything about any session.
create function private.share_link_of_token(p_token_hash bytea)
returns public.share_links
language plpgsql
set search_path = ''
as $$
declare
  l public.share_links;
begin
  select sl.* into l
    from private.share_link_tokens t join public.share_links sl on sl.id = t.share_link_id
   where t.token_hash = p_token_hash
   for share of sl;
  if not found then
    raise exception using errcode = 'PT404', message = 'share_link_not_found',
      detail = 'This link is not valid. Check that you opened the whole link.';
  elsif l.revoked_at is not null then
    raise exception using errcode = 'PT410', message = 'share_link_revoked',
      detail = 'This link was withdrawn by the people who shared it.';
  elsif l.expires_at <= now() then
    raise exception using errcode = 'PT410', message = 'share_link_expired',
      detail = 'This link has expired. Ask the people who shared it for a new one.';
  end if;
  return l;
end
$$;

-- What the outside reviewer sees, and the log of it: the campaign's title and company, the candidate's name, and each
-- submitted, non-practice answer in question order, with the object key for the uploads function to sign (it strips
-- the key before answering) and this link's own rating. The view row lists the answers whose video is playable.
create function private.open_share_link(p_token_hash bytea)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  l public.share_links := private.share_link_of_token(p_token_hash);
  answers jsonb;
  playable uuid[];
  result jsonb;
begin
  select coalesce(jsonb_agg(jsonb_build_object(
           'response_id', v.id,
           'question_id', q.id,
           'position', q.position,
           'prompt', q.prompt,
           'take_number', v.take_number,
           'content_type', v.content_type,
           'size_bytes', v.size_bytes,
           'duration_seconds', v.duration_seconds,
           'submitted_at', v.submitted_at,
           'video_deleted', v.video_deleted_at is not null,
           'object_key', case when v.status = 'uploaded' and v.video_deleted_at is null then v.object_key end,
           'rating', (select jsonb_build_object('score', r.score, 'comment', r.comment, 'created_at', r.created_at)
                        from public.share_link_ratings r
                       where r.share_link_id = l.id and r.response_id = v.id))
           order by q.position), '[]'::jsonb),
         coalesce(array_agg(v.id order by q.position)
                    filter (where v.status = 'uploaded' and v.video_deleted_at is null), '{}')
    into answers, playable
    from public.video_responses v
    join public.questions q on q.id = v.question_id and not q.is_practice
   where v.session_id = l.session_id and v.is_submitted;

  insert into public.share_link_views (share_link_id, session_id, campaign_id, response_ids)
  values (l.id, l.session_id, l.campaign_id, playable);

  select jsonb_build_object(
           'link', jsonb_build_object('id', l.id, 'mode', l.mode, 'expires_at', l.expires_at),
           'campaign', jsonb_build_object('title', c.title, 'company', coalesce(o.name, '')),
           'candidate', jsonb_build_object('first_name', coalesce(ca.first_name, ''),
                                           'last_name', coalesce(ca.last_name, '')),
           'answers', answers)
    into result
    from public.interview_sessions s
    join public.campaigns c on c.id = s.campaign_id
    left join public.organizations o on o.id = c.organization_id
    join public.candidates ca on ca.id = s.candidate_id
   where s.id = l.session_id;
  return result;
end
$$;

-- One final rating of one answer of the link's session, through a playback_and_rating link.
create function private.rate_by_share_link(p_token_hash bytea, p_response_id uuid, p_score integer, p_comment text)
returns public.share_link_ratings
language plpgsql
set search_path = ''
as $$
declare
  l public.share_links := private.share_link_of_token(p_token_hash);
  v public.video_responses;
  r public.share_link_ratings;
begin
  if l.mode <> 'playback_and_rating' then
    raise exception using errcode = 'PT403', message = 'share_link_read_only',
      detail = 'This link lets you watch the answers, not rate them.';
  end if;
  select vr.* into v
    from public.video_responses vr
    join public.questions q on q.id = vr.question_id and not q.is_practice
   where vr.id = p_response_id and vr.session_id = l.session_id and vr.is_submitted;
  if not found then
    raise exception using errcode = 'PT404', message = 'response_not_found',
      detail = 'No such answer behind this link.';
  end if;
  insert into public.share_link_ratings (share_link_id, response_id, session_id, campaign_id, score, comment)
  values (l.id, v.id, v.session_id, v.campaign_id, p_score, coalesce(p_comment, ''))
  on conflict (share_link_id, response_id) do nothing
  returning * into r;
  if r.id is null then
    raise exception using errcode = 'PT409', message = 'share_link_already_rated',
      detail = 'This answer was already rated through this link; a rating by link is final.';
  end if;
  return r;
end
$$;

revoke all on private.share_link_tokens from public, anon, authenticated, service_role;
revoke all on function private.share_link_of_token(bytea) from public, anon, authenticated, service_role;
revoke all on function private.open_share_link(bytea) from public, anon, authenticated, service_role;
revoke all on function private.rate_by_share_link(bytea, uuid, integer, text)
  from public, anon, authenticated, service_role;

-- =====================================================================================================================
-- policies
-- =====================================================================================================================

create policy "Campaign members can read the share links of their campaigns" on public.share_links
  for select to authenticated
  using (campaign_id = any ((select private.viewable_campaign_ids())::uuid[]));

create policy "Campaign members can read the views of their campaigns' share links" on public.share_link_views
  for select to authenticated
  using (campaign_id = any ((select private.viewable_campaign_ids())::uuid[]));

create policy "Owners and editors can read every rating given by link" on public.share_link_ratings
  for select to authenticated
  using (campaign_id = any ((select private.editable_campaign_ids())::uuid[]));

create policy "Reviewers can read ratings by link of responses they rated" on public.share_link_ratings
  for select to authenticated
  using (
    response_id in (select private.my_evaluated_responses())
    and campaign_id = any ((select private.viewable_campaign_ids())::uuid[])
  );

revoke all on public.share_links, public.share_link_views, public.share_link_ratings from anon, authenticated;
grant select on public.share_links, public.share_link_views, public.share_link_ratings to authenticated;
grant all on public.share_links, public.share_link_views, public.share_link_ratings to service_role;

-- =====================================================================================================================
-- public API
-- =====================================================================================================================

-- Creates a link to one session and returns its token, the only time it is ever shown. Owners, editors and admins
-- of the session's campaign; a reviewer gets 42501, anyone who cannot read the session PT404 (nothing leaks).
create function public.create_share_link(
  p_session_id uuid,
  p_mode public.share_link_mode default 'playback',
  p_expires_at timestamptz default null,
  p_label text default ''
)
returns table (id uuid, token text, session_id uuid, mode public.share_link_mode, label text, expires_at timestamptz,
               created_at timestamptz)
language plpgsql
security definer
set search_path = ''
as $$
declare
  s public.interview_sessions;
  expiry timestamptz := coalesce(p_expires_at, now() + interval '7 days');
  new_token text;
  l public.share_links;
begin
  select * into s from public.interview_sessions si where si.id = p_session_id;
  if not found or not private.can_view_campaign(s.campaign_id) then
    raise exception using errcode = 'PT404', message = 'session_not_found', detail = 'No such session.';
  end if;
  if not private.can_edit_campaign(s.campaign_id) then
    raise exception using errcode = '42501', message = 'share_link_needs_editor',
      detail = 'Only the campaign''s owner and editors share a session.';
  end if;
  if expiry <= now() or expiry > now() + interval '30 days' then
    raise exception using errcode = '23514', message = 'share_link_expiry_out_of_range',
      detail = 'A share link expires in the future and at most 30 days from now.';
  end if;
  -- Two v4 UUIDs: 244 random bits from the server's strong generator, as 43 base64url characters.
  new_token := rtrim(translate(encode(uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()), 'base64'),
                               '+/', '-_'), '=');
  insert into public.share_links (session_id, campaign_id, mode, label, created_by, expires_at)
  values (s.id, s.campaign_id, coalesce(p_mode, 'playback'), coalesce(p_label, ''), auth.uid(), expiry)
  returning * into l;
  insert into private.share_link_tokens (share_link_id, token_hash)
  values (l.id, sha256(convert_to(new_token, 'UTF8')));
  insert into public.audit_log (actor_id, action, entity, entity_id, campaign_id, details)
  values (auth.uid(), 'share_link.created', 'interview_session', s.id, s.campaign_id,
          jsonb_build_object('share_link_id', l.id, 'mode', l.mode, 'expires_at', l.expires_at));
  return query select l.id, new_token, l.session_id, l.mode, l.label, l.expires_at, l.created_at;
end
$$;

revoke all on function public.create_share_link(uuid, public.share_link_mode, timestamptz, text) from public, anon;
grant execute on function public.create_share_link(uuid, public.share_link_mode, timestamptz, text)
  to authenticated, service_role;

-- Revokes a link at once (idempotent: a second call keeps the first time). Owners, editors and admins.
create function public.revoke_share_link(p_share_link_id uuid)
returns public.share_links
language plpgsql
security definer
set search_path = ''
as $$
declare
  l public.share_links;
begin
  select * into l from public.share_links sl where sl.id = p_share_link_id for update;
  if not found or not private.can_view_campaign(l.campaign_id) then
    raise exception using errcode = 'PT404', message = 'share_link_not_found', detail = 'No such share link.';
  end if;
  if not private.can_edit_campaign(l.campaign_id) then
    raise exception using errcode = '42501', message = 'share_link_needs_editor',
      detail = 'Only the campaign''s owner and editors revoke a share link.';
  end if;
  if l.revoked_at is null then
    update public.share_links sl set revoked_at = now(), revoked_by = auth.uid()
     where sl.id = l.id returning * into l;
    insert into public.audit_log (actor_id, action, entity, entity_id, campaign_id, details)
    values (auth.uid(), 'share_link.revoked', 'interview_session', l.session_id, l.campaign_id,
            jsonb_build_object('share_link_id', l.id));
  end if;
  return l;
end
$$;

revoke all on function public.revoke_share_link(uuid) from public, anon;
grant execute on function public.revoke_share_link(uuid) to authenticated, service_role;
