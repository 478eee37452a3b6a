-- Link-only access: a candidate may enter an interview from the invitation email without choosing a password. The
-- activation function's POST /activation/link exchanges the email's token for a Supabase session (through GoTrue's
-- admin generate_link and verify); the account stays a placeholder (app_metadata.invitation_pending stays true), so
-- the password path (POST /activation/password with a link, or supabase.auth.updateUser with the session) remains
-- open for later. A link sign-in does not consume the token: the same email link works again, on another device,
-- until the token dies (its session's deadline, a resend, a withdrawal, or a password activation that uses it). Every
-- link sign-in is counted on the token row. The landing page posts: GET /activation/{token} changes nothing, so an
-- email scanner that follows links consumes and signs in nothing.
--
-- Errors a caller sees (SQLSTATE, message): those of the token (private.raise_invitation_token_error) and of the
-- target (private.check_invitation_target): invitation_not_found, invitation_used, invitation_revoked,
-- invitation_expired, account_already_active.

-- =====================================================================================================================
-- columns
-- =====================================================================================================================

alter table private.invitation_tokens
  add column link_sign_ins integer not null default 0 check (link_sign_ins >= 0),
  add column last_link_sign_in_at timestamptz;
comment on column private.invitation_tokens.link_sign_ins is
  'How many times the email link signed the candidate in without a password (POST /activation/link).';

-- =====================================================================================================================
-- public API of the activation function (database owner only)
-- =====================================================================================================================

-- Counts a link sign-in with a usable token and returns whom to sign in; refuses like the preview otherwise. The
-- caller signs the person in through GoTrue after this statement commits; a refusal raises and records nothing.
create function private.record_link_sign_in(p_token_hash bytea)
returns table (session_id uuid, candidate_id uuid, user_id uuid, email text)
language plpgsql
set search_path = ''
as $$
declare
  found_session uuid;
begin
  update private.invitation_tokens it
     set link_sign_ins = it.link_sign_ins + 1, last_link_sign_in_at = now()
   where it.token_hash = p_token_hash and it.used_at is null and it.revoked_at is null and it.expires_at > now()
  returning it.session_id into found_session;
  if not found then
    perform private.raise_invitation_token_error(p_token_hash);
  end if;
  return query select * from private.check_invitation_target(found_session);
end
$$;

revoke all on function private.record_link_sign_in(bytea) from public, anon, authenticated, service_role;
