-- A webhook endpoint disabled for failing too long is emailed to its organization's owners and admins, through the
-- email outbox (issue 14 item 9): a new kind, 'webhook_disabled', whose subject is the endpoint (webhook_endpoint_id)
-- rather than a session or a colleague invitation. The kind check lists every kind of the project, the receipt's
-- ('receipt', added by 20261203320000) included, so that the order in which the two migrations land does not matter.
-- The email names the endpoint's host only: a URL's path or query may carry a receiver's own secret.

-- =====================================================================================================================
-- tables
-- =====================================================================================================================

alter table private.email_outbox
  add column webhook_endpoint_id uuid references public.webhook_endpoints (id) on delete cascade,
  drop constraint email_outbox_kind_check,
  add constraint email_outbox_kind_check
    check (kind in ('invitation', 'reminder', 'colleague_invitation', 'receipt', 'webhook_disabled')),
  drop constraint email_outbox_has_one_subject,
  add constraint email_outbox_has_one_subject
    check (num_nonnulls(session_id, organization_invitation_id, webhook_endpoint_id) = 1);
comment on column private.email_outbox.webhook_endpoint_id is 'The endpoint a webhook_disabled email is about';

-- =====================================================================================================================
-- indexes
-- =====================================================================================================================

create index email_outbox_webhook_endpoint_id_idx on private.email_outbox (webhook_endpoint_id);

-- =====================================================================================================================
-- triggers
-- =====================================================================================================================

create function private.queue_webhook_disabled_emails()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into private.email_outbox (kind, webhook_endpoint_id, locale, to_email, params)
  select 'webhook_disabled', new.id, 'fr', p.email,
         jsonb_build_object(
           'organization', o.name,
           'endpoint_host', substring(new.url from '^[a-zA-Z]+://([^/?#]+)'),
           'failing_since', new.failing_since,
           'deadline', coalesce(new.disabled_at, now()))
    from public.organization_members m
    join public.profiles p on p.id = m.user_id
    join public.organizations o on o.id = m.organization_id
   where m.organization_id = new.organization_id and m.role in ('owner', 'admin') and p.email like '%_@_%';
  return null;
end
$$;

create trigger webhook_endpoints_disabled_email after update of enabled on public.webhook_endpoints
  for each row when (old.enabled and not new.enabled and new.disabled_reason = 'failing')
  execute function private.queue_webhook_disabled_emails();

revoke all on function private.queue_webhook_disabled_emails() from public, anon, authenticated;
