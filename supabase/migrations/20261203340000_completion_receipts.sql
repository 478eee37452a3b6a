-- A receipt when a candidate finishes: the moment a session becomes completed (its last answer submitted, or the
-- candidate finishing early), one email is queued in the same transaction, through the existing outbox, listing each
-- answer the server verified: the question, the take, the duration read from the stored file, and when the store
-- received it (video_responses.uploaded_at, the store's own clock, as `complete` checked it). At most one receipt per
-- session (a unique index). The session shows when it was sent (interview_sessions.receipt_sent_at).
--
-- The outbox gains the kind 'receipt' beside 'invitation', 'reminder' and 'colleague_invitation' (all kept, as is
-- email_outbox_has_one_subject: a receipt's subject is its session), and private.sync_session_email_status a branch
-- for it (every earlier branch kept as it was).

-- =====================================================================================================================
-- columns and constraints
-- =====================================================================================================================

alter table private.email_outbox
  drop constraint email_outbox_kind_check,
  add constraint email_outbox_kind_check
    check (kind in ('invitation', 'reminder', 'colleague_invitation', 'receipt'));

alter table public.interview_sessions add column receipt_sent_at timestamptz;
comment on column public.interview_sessions.receipt_sent_at is
  'When the candidate''s receipt (the list of their verified answers) was sent.';

create unique index email_outbox_one_receipt_per_session on private.email_outbox (session_id)
  where kind = 'receipt';

-- =====================================================================================================================
-- helper functions
-- =====================================================================================================================

-- The verified answers of a session, in question order: what a receipt lists.
create function private.verified_answers(p_session_id uuid)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'response_id', v.id,
           'question_id', q.id,
           'position', q.position,
           'prompt', q.prompt,
           'is_practice', q.is_practice,
           'take_number', v.take_number,
           'duration_seconds', v.duration_seconds,
           'size_bytes', v.size_bytes,
           'received_at', v.uploaded_at,
           'submitted_at', v.submitted_at)
         order by q.position), '[]'::jsonb)
    from public.video_responses v
    join public.questions q on q.id = v.question_id
   where v.session_id = p_session_id and v.is_submitted
$$;

revoke all on function private.verified_answers(uuid) from public, anon, authenticated;

-- =====================================================================================================================
-- triggers
-- =====================================================================================================================

create function private.queue_completion_receipt()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into private.email_outbox (kind, session_id, locale, to_email, params)
  select 'receipt', new.id,
         coalesce((select o.locale from private.email_outbox o
                    where o.session_id = new.id and o.kind = 'invitation' order by o.created_at desc limit 1), 'fr'),
         coalesce(u.email::text, ca.email),
         jsonb_build_object('title', c.title, 'company', org.name, 'deadline', new.deadline,
                            'completed_at', new.completed_at,
                            'first_name', coalesce(nullif(new.invited_first_name, ''), ca.first_name),
                            'answers', private.verified_answers(new.id))
    from public.candidates ca
    join public.campaigns c on c.id = new.campaign_id
    join public.organizations org on org.id = c.organization_id
    left join auth.users u on u.id = ca.user_id
   where ca.id = new.candidate_id
  on conflict (session_id) where kind = 'receipt' do nothing;
  return null;
end
$$;

revoke all on function private.queue_completion_receipt() from public, anon, authenticated;

-- Named to fire after interview_sessions_cancel_emails (same event, alphabetical), which cancels what was queued.
create trigger interview_sessions_queue_receipt after update of status on public.interview_sessions
  for each row when (new.status = 'completed' and old.status is distinct from new.status)
  execute function private.queue_completion_receipt();

-- The session (or the colleague invitation) mirrors its latest email (20261203100000_organizations.sql), and now
-- its receipt too.
create or replace function private.sync_session_email_status()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.kind = 'invitation' then
    if not exists (select 1 from private.email_outbox o
                    where o.session_id = new.session_id and o.kind = 'invitation'
                      and (o.created_at, o.id) > (new.created_at, new.id)) then
      update public.interview_sessions s
         set email_status = new.status, email_attempts = new.attempts, email_sent_at = new.sent_at
       where s.id = new.session_id
         and (s.email_status, s.email_attempts, s.email_sent_at)
             is distinct from (new.status, new.attempts, new.sent_at);
    end if;
  elsif new.kind = 'reminder' and new.status = 'sent' then
    update public.interview_sessions s set reminder_sent_at = new.sent_at
     where s.id = new.session_id and s.reminder_sent_at is distinct from new.sent_at;
  elsif new.kind = 'receipt' and new.status = 'sent' then
    update public.interview_sessions s set receipt_sent_at = new.sent_at
     where s.id = new.session_id and s.receipt_sent_at is distinct from new.sent_at;
  elsif new.kind = 'colleague_invitation' then
    if not exists (select 1 from private.email_outbox o
                    where o.organization_invitation_id = new.organization_invitation_id
                      and (o.created_at, o.id) > (new.created_at, new.id)) then
      update public.organization_invitations i set email_status = new.status
       where i.id = new.organization_invitation_id and i.email_status is distinct from new.status;
    end if;
  end if;
  return null;
end
$$;
