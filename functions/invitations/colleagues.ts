// Colleague invitations: an owner or admin of an organization invites someone by email; the link in the email lets
// that person, signed in as a hiring manager with that address, join. The SQL functions check every right
// (private.invite_colleague, private.accept_colleague_invitation); this module issues the token and names the link.
import type { Claims } from '../../shared/auth.ts';
import type { AppConfig } from '../../shared/config.ts';
import { asUser, type Sql, sql as processSql } from '../../shared/db.ts';
import { hashToken, issueToken, toHex } from './tokens.ts';

export interface ColleagueContext {
  claims: Claims;
  config: AppConfig;
  db?: Sql;
}

export type OrganizationRole = 'owner' | 'admin' | 'member';

export interface ColleagueInvitation {
  id: string;
  organization_id: string;
  email: string;
  role: 'admin' | 'member';
  expires_at: string;
}

/** The page of the SPA where an invited colleague accepts (it posts the token to /invitations/colleagues/accept). */
export function colleagueJoinLink(config: AppConfig, token: string): string {
  return `${config.siteUrl}/organizations/join?token=${encodeURIComponent(token)}`;
}

export async function inviteColleague(
  ctx: ColleagueContext,
  input: { organization_id: string; email: string; role: 'admin' | 'member'; locale: string },
): Promise<{ invitation: ColleagueInvitation; outboxId: string }> {
  const issued = await issueToken(ctx.config.serviceRoleKey);
  return await asUser(ctx.claims, async (tx) => {
    const [row] = await tx<
      { id: string; email: string; role: 'admin' | 'member'; expires_at: Date; outbox_id: string }[]
    >`
      select id, email, role::text as role, expires_at, outbox_id
        from private.invite_colleague(${input.organization_id}, ${input.email}, ${input.role},
                                      ${issued.hashHex}, ${issued.secretHex}, ${input.locale})`;
    return {
      invitation: {
        id: row.id,
        organization_id: input.organization_id,
        email: row.email,
        role: row.role,
        expires_at: row.expires_at.toISOString(),
      },
      outboxId: row.outbox_id,
    };
  }, ctx.db ?? processSql);
}

export async function acceptColleagueInvitation(
  ctx: ColleagueContext,
  token: string,
): Promise<{ organization_id: string; role: OrganizationRole }> {
  const hashHex = toHex(await hashToken(token));
  return await asUser(ctx.claims, async (tx) => {
    const [row] = await tx<{ organization_id: string; role: OrganizationRole }[]>`
      select organization_id, role::text as role from private.accept_colleague_invitation(${hashHex})`;
    return row;
  }, ctx.db ?? processSql);
}
