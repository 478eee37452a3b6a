// Colleagues: an organization's owner or admin invites one by email (POST /invitations/colleagues); the email links
// to /organizations/join?token=…, where the colleague, signed in as a hiring manager with that address, accepts. A
// campaign is then shared with members of its organization only (campaign_collaborators, under RLS).
import { type FormEvent, useState } from 'react';
import { callFunction, must } from '../api.ts';
import { supabase, type Tables } from '../supabase.ts';
import { Link } from '../router.tsx';
import { ErrorText, formatDate, Status, useAction, useLoad } from '../ui.tsx';

async function myUserId(): Promise<string> {
  const { data } = await supabase.auth.getUser();
  return data.user?.id ?? '';
}

export function Team() {
  const memberships = useLoad(async () =>
    must(
      supabase.from('organization_members').select(
        'organization_id, role, organizations(name)',
      )
        .eq('user_id', await myUserId()).order('created_at'),
    ), []);
  const [note, setNote] = useState('');
  const invite = useAction(async (form: HTMLFormElement) => {
    const data = new FormData(form);
    const result = await callFunction<{ email: string }>(
      'invitations/colleagues',
      {
        body: {
          organization_id: String(data.get('organization_id')),
          email: String(data.get('email')).trim(),
          role: String(data.get('role')),
        },
      },
    );
    setNote(`Invitation sent to ${result.email}.`);
    form.reset();
  });
  const managed = memberships.data?.filter((m) => m.role === 'owner' || m.role === 'admin') ??
    [];
  if (managed.length === 0) return <ErrorText error={memberships.error} />;
  return (
    <form
      onSubmit={(
        e: FormEvent<HTMLFormElement>,
      ) => (e.preventDefault(), invite.run(e.currentTarget))}
    >
      <h2>Invite a colleague</h2>
      <div className='row'>
        <label>
          Organization{' '}
          <select name='organization_id'>
            {managed.map((m) => (
              <option key={m.organization_id} value={m.organization_id}>
                {m.organizations?.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Colleague's email <input name='email' type='email' required />
        </label>
        <label>
          Role{' '}
          <select name='role' defaultValue='member'>
            <option value='member'>Member</option>
            <option value='admin'>Admin</option>
          </select>
        </label>
        <button type='submit' disabled={invite.busy}>Invite colleague</button>
      </div>
      {note && <Status>{note}</Status>}
      <ErrorText error={invite.error} />
    </form>
  );
}

export function JoinOrganization({ token }: { token: string }) {
  const [joined, setJoined] = useState(false);
  const accept = useAction(async () => {
    await callFunction('invitations/colleagues/accept', { body: { token } });
    setJoined(true);
  });
  return (
    <section>
      <h1>Join your colleagues</h1>
      {joined
        ? (
          <Status>
            You joined the organization. <Link to='/campaigns'>Go to the campaigns</Link>
          </Status>
        )
        : (
          <button
            type='button'
            disabled={accept.busy}
            onClick={() => accept.run()}
          >
            Join the organization
          </button>
        )}
      <ErrorText error={accept.error} />
    </section>
  );
}

/** The campaign owner shares it with members of its organization, as reviewer or editor. */
export function ShareCampaign({ campaign }: { campaign: Tables<'campaigns'> }) {
  const team = useLoad(async () => {
    const [members, collaborators] = await Promise.all([
      must(
        // Fellow members may read each other's name and address (RLS: private.teammate_ids).
        supabase.from('organization_members').select(
          'user_id, role, created_at, hiring_managers(profiles(first_name, last_name, email))',
        )
          .eq('organization_id', campaign.organization_id).order('created_at'),
      ),
      must(
        supabase.from('campaign_collaborators').select('user_id, role').eq(
          'campaign_id',
          campaign.id,
        ),
      ),
    ]);
    return {
      members: members.filter((m) => m.user_id !== campaign.owner_id),
      collaborators,
    };
  }, [campaign.id]);
  const share = useAction(
    async (userId: string, role: 'reviewer' | 'editor') => {
      await must(
        supabase.from('campaign_collaborators').insert({
          campaign_id: campaign.id,
          user_id: userId,
          role,
        }),
      );
      team.reload();
    },
  );
  const unshare = useAction(async (userId: string) => {
    await must(
      supabase.from('campaign_collaborators').delete().eq(
        'campaign_id',
        campaign.id,
      ).eq('user_id', userId),
    );
    team.reload();
  });
  if (!team.data) return <ErrorText error={team.error} />;
  return (
    <section>
      <h2>Team</h2>
      {team.data.members.length === 0 && <p>No colleague in this organization yet: invite one from Campaigns.</p>}
      <ul>
        {team.data.members.map((m) => {
          const shared = team.data!.collaborators.find((c) => c.user_id === m.user_id);
          const person = m.hiring_managers?.profiles;
          const name = [person?.first_name, person?.last_name].filter(Boolean).join(' ');
          const who = `${name || person?.email || 'Colleague'} (${m.role}, joined ${formatDate(m.created_at)})`;
          return (
            <li key={m.user_id}>
              {who}: {shared
                ? (
                  <>
                    shared as {shared.role}{' '}
                    <button
                      type='button'
                      onClick={() => unshare.run(m.user_id)}
                    >
                      Stop sharing
                    </button>
                  </>
                )
                : (
                  <>
                    <button
                      type='button'
                      onClick={() => share.run(m.user_id, 'reviewer')}
                    >
                      Share as reviewer
                    </button>{' '}
                    <button
                      type='button'
                      onClick={() => share.run(m.user_id, 'editor')}
                    >
                      Share as editor
                    </button>
                  </>
                )}
            </li>
          );
        })}
      </ul>
      <ErrorText error={share.error ?? unshare.error} />
    </section>
  );
}
