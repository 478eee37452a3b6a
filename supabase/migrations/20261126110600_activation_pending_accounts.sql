-- Activation: which invited accounts still wait for activation, told without reading password hashes.
--
-- 20261126110500 called an account active when auth.users.encrypted_password was not empty. That holds for the local
-- auth stand-in only: GoTrue's admin createUser stores a random password when none is given, so every placeholder
-- would have looked active. An account now waits for activation when
--   - app_metadata.invitation_pending is true (set by the service role when it creates a placeholder; only the
--     service role can write app_metadata), or
--   - its email is not confirmed (placeholders created unconfirmed; an unconfirmed self sign-up may activate too:
--     the token came by email, which proves the address as a confirmation link would).
-- Anything else (a confirmed account without the flag: a self sign-up, an activated account) is
-- PT400 account_already_active. Activation clears the flag and confirms the email in one Auth admin call.

create or replace function private.check_invitation_target(p_session_id uuid)
returns table (session_id uuid, candidate_id uuid, user_id uuid, email text)
language plpgsql
stable
set search_path = ''
as $$
declare
  s public.interview_sessions;
  c public.candidates;
begin
  select * into s from public.interview_sessions s1 where s1.id = p_session_id;
  if s.status = 'withdrawn' then
    raise exception using errcode = 'PT410', message = 'invitation_revoked',
      detail = 'This invitation was withdrawn.';
  end if;
  if s.status = 'expired' or s.deadline <= now() then
    raise exception using errcode = 'PT410', message = 'invitation_expired',
      detail = 'This invitation has expired.';
  end if;
  select * into c from public.candidates c1 where c1.id = s.candidate_id;
  if exists (select 1 from auth.users u
              where u.id = c.user_id
                and u.email_confirmed_at is not null
                and (u.raw_app_meta_data -> 'invitation_pending') is distinct from 'true'::jsonb) then
    raise exception using errcode = 'PT400', message = 'account_already_active',
      detail = 'This account is already active. Log in instead.';
  end if;
  -- The sign-in email is the auth user's (kept in step with the candidate row, but it is the one that counts).
  return query select s.id, c.id, c.user_id, coalesce(u.email::text, c.email)
                 from (select 1) one left join auth.users u on u.id = c.user_id;
end
$$;

revoke all on function private.check_invitation_target(uuid) from public, anon, authenticated, service_role;
