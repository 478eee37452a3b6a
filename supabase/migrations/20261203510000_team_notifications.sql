-- Team notifications (issue 14, item 8), optional per campaign and off by default:
--   campaigns.notify_on_completion  the campaign's team (owner and collaborators) is emailed when an interview is
--                                   completed: one email per member, queued in the transaction that completes it,
--                                   in the language of the candidate's invitation
--   campaigns.review_digest         once a day (pg_cron, 07:00 UTC: public.queue_review_digests()) each member of a
--                                   campaign with the digest on gets one email listing, per such campaign, how many
--                                   submitted answers wait for their rating (the pending_reviews rule: not practice,
--                                   not rated by them); nothing when nothing waits; at most one digest a day each,
--                                   in the language of the member's latest invitation (else French)
-- Both go through the existing email outbox (retries, exactly-once claims), which gains the kinds 'completion_notice'
-- and 'review_digest' beside 'invitation', 'reminder', 'colleague_invitation', 'receipt' and 'webhook_disabled' (all
-- kept). A digest has no session, organization invitation or webhook endpoint: its subject is its recipient
-- (email_outbox.recipient_id), so email_outbox_has_one_subject is replaced to say so. private.sync_session_email_status is unchanged: neither kind
-- is mirrored on a session. Only the owner changes the two settings (the campaigns update policy).

-- =====================================================================================================================
-- columns and constraints
-- =====================================================================================================================

alter table public.campaigns
  add column notify_on_completion boolean not null default false,
  add column review_digest boolean not null default false;
comment on column public.campaigns.notify_on_completion is
  'Email the campaign''s team (owner and collaborators) when an interview is completed.';
comment on column public.campaigns.review_digest is
  'Email each team member once a day how many answers of this campaign wait for their rating.';

alter table private.email_outbox
  add column recipient_id uuid references auth.users (id) on delete cascade,
  add column digest_on date;

alter table private.email_outbox
  drop constraint email_outbox_kind_check,
  add constraint email_outbox_kind_check
    check (kind in ('invitation', 'reminder', 'colleague_invitation', 'receipt', 'webhook_disabled',
                    'completion_notice', 'review_digest')),
  drop constraint email_outbox_has_one_subject,
  add constraint email_outbox_has_one_subject check (
    case when kind = 'review_digest'
         then num_nonnulls(session_id, organization_invitation_id, webhook_endpoint_id) = 0
              and recipient_id is not null and digest_on is not null
         else num_nonnulls(session_id, organization_invitation_id, webhook_endpoint_id) = 1
    end);

-- One digest per recipient and day; one completion notice per session and team member.
create unique index email_outbox_one_digest_per_day on private.email_outbox (recipient_id, digest_on)
  where kind = 'review_digest';
create unique index email_outbox_one_completion_notice on private.email_outbox (session_id, recipient_id)
  where kind = 'completion_notice';
create index email_outbox_recipient_id_idx on private.email_outbox (recipient_id);

-- =====================================================================================================================
-- triggers
-- =====================================================================================================================

-- Named to fire after interview_sessions_cancel_emails (same event, alphabetical), which cancels what was queued.
create function private.queue_completion_notices()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into private.email_outbox (kind, session_id, recipient_id, locale, to_email, params)
  select 'completion_notice', new.id, u.id,
         coalesce((select o.locale from private.email_outbox o
                    where o.session_id = new.id and o.kind = 'invitation' order by o.created_at desc limit 1), 'fr'),
         u.email::text,
         jsonb_build_object('title', c.title, 'company', org.name, 'campaign_id', c.id,
                            'deadline', new.completed_at, 'completed_at', new.completed_at,
                            'candidate_name', trim(coalesce(nullif(new.invited_first_name, ''), ca.first_name, '')
                                                   || ' ' || coalesce(ca.last_name, '')),
                            'answer_count', (select count(*) from public.video_responses v
                                              join public.questions q on q.id = v.question_id and not q.is_practice
                                             where v.session_id = new.id and v.is_submitted))
    from public.campaigns c
    join public.organizations org on org.id = c.organization_id
    join public.candidates ca on ca.id = new.candidate_id
    join lateral (select c.owner_id as user_id
                  union select cc.user_id from public.campaign_collaborators cc where cc.campaign_id = c.id) team
      on true
    join auth.users u on u.id = team.user_id and u.email is not null
   where c.id = new.campaign_id and c.notify_on_completion
  on conflict (session_id, recipient_id) where kind = 'completion_notice' do nothing;
  return null;
end
$$;

revoke all on function private.queue_completion_notices() from public, anon, authenticated;

create trigger interview_sessions_notify_team after update of status on public.interview_sessions
  for each row when (new.status = 'completed' and old.status is distinct from new.status)
  execute function private.queue_completion_notices();

-- =====================================================================================================================
-- public API (service role and the scheduler)
-- =====================================================================================================================

-- Queues today's digests (UTC day) and returns how many; idempotent within a day. Pending, per member and campaign:
-- submitted, non-practice answers the member has not rated (their own evaluations only: blind review is untouched,
-- the digest carries counts, never scores).
create function public.queue_review_digests()
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  queued integer;
begin
  with team as (
    select c.id as campaign_id, c.owner_id as user_id from public.campaigns c where c.review_digest
    union
    select cc.campaign_id, cc.user_id
      from public.campaign_collaborators cc join public.campaigns c on c.id = cc.campaign_id
     where c.review_digest
  ),
  pending as (
    select t.user_id, c.id as campaign_id, c.title, count(*) as waiting
      from team t
      join public.campaigns c on c.id = t.campaign_id
      join public.video_responses v on v.campaign_id = c.id and v.is_submitted
      join public.questions q on q.id = v.question_id and not q.is_practice
     where not exists (select 1 from public.evaluations e where e.response_id = v.id and e.reviewer_id = t.user_id)
     group by t.user_id, c.id, c.title
  ),
  digests as (
    select p.user_id, sum(p.waiting)::integer as total,
           jsonb_agg(jsonb_build_object('campaign_id', p.campaign_id, 'title', p.title, 'pending', p.waiting)
                     order by p.title, p.campaign_id) as campaigns
      from pending p group by p.user_id
  ),
  inserted as (
    insert into private.email_outbox (kind, recipient_id, digest_on, locale, to_email, params)
    select 'review_digest', d.user_id, (now() at time zone 'UTC')::date,
           -- The language the member invites candidates in (their latest invitation), else French as elsewhere.
           coalesce((select o.locale from private.email_outbox o
                       join public.interview_sessions s on s.id = o.session_id
                      where o.kind = 'invitation' and s.invited_by = d.user_id
                      order by o.created_at desc limit 1), 'fr'),
           u.email::text,
           jsonb_build_object('deadline', now(), 'first_name', coalesce(pr.first_name, ''), 'pending_total', d.total,
                              'campaigns', d.campaigns)
      from digests d
      join auth.users u on u.id = d.user_id and u.email is not null
      left join public.profiles pr on pr.id = d.user_id
    on conflict (recipient_id, digest_on) where kind = 'review_digest' do nothing
    returning 1
  )
  select count(*)::integer into queued from inserted;
  return queued;
end
$$;

revoke all on function public.queue_review_digests() from public, anon, authenticated;
grant execute on function public.queue_review_digests() to service_role;

grant insert (notify_on_completion, review_digest) on public.campaigns to authenticated;
grant update (notify_on_completion, review_digest) on public.campaigns to authenticated;

-- Daily at 07:00 UTC, run by pg_cron as the role that scheduled it (the migration's owner); the outbox job sends.
select cron.schedule('review-digest', '0 7 * * *', 'select public.queue_review_digests()');
