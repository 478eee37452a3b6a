// The shell: who is signed in (supabase-js keeps the session), their role, and which screen the path names.
import { useEffect, useState } from 'react';
import type { Session } from '@supabase/supabase-js';
import { supabase } from './supabase.ts';
import { Link, navigate, useLocation } from './router.tsx';
import { ResetPassword, SignIn, SignUp, UpdatePassword } from './screens/Auth.tsx';
import { Activate } from './screens/Activate.tsx';
import { CampaignPage, Campaigns } from './screens/Campaigns.tsx';
import { Interview, MyInterviews } from './screens/Interview.tsx';
import { ReviewQueue, ReviewSession } from './screens/Review.tsx';
import { JoinOrganization } from './screens/Team.tsx';

export type Role = 'hiring_manager' | 'candidate' | 'admin';

export function App() {
  const url = useLocation();
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [role, setRole] = useState<Role | null>(null);

  useEffect(() => {
    supabase.auth.getSession().then(({ data }) => setSession(data.session));
    const { data } = supabase.auth.onAuthStateChange((event, next) => {
      setSession(next);
      // The link of a password-reset email signs the person in for this one purpose.
      if (event === 'PASSWORD_RECOVERY') navigate('/update-password');
    });
    return () => data.subscription.unsubscribe();
  }, []);

  useEffect(() => {
    const userId = session?.user.id;
    if (!userId) return setRole(null);
    // Read under RLS: everyone reads their own profile.
    supabase.from('profiles').select('role').eq('id', userId).single().then((
      { data },
    ) => setRole(data?.role ?? null));
  }, [session?.user.id]);

  if (session === undefined) return <main aria-busy='true'>Loading…</main>;
  const path = url.pathname;
  const segments = path.split('/').filter(Boolean);

  const screen = (() => {
    if (path === '/activate') {
      return <Activate token={url.searchParams.get('token') ?? ''} />;
    }
    if (path === '/signup') return <SignUp />;
    if (path === '/reset-password') return <ResetPassword />;
    if (path === '/update-password') return <UpdatePassword />;
    if (!session) return <SignIn />;
    if (!role) return <p aria-busy='true'>Loading your account…</p>;
    if (path === '/organizations/join') {
      return <JoinOrganization token={url.searchParams.get('token') ?? ''} />;
    }
    if (segments[0] === 'interviews' && segments[1]) {
      return <Interview sessionId={segments[1]} />;
    }
    if (segments[0] === 'interviews') return <MyInterviews />;
    if (segments[0] === 'campaigns' && segments[1]) {
      return <CampaignPage campaignId={segments[1]} />;
    }
    if (segments[0] === 'review' && segments[1]) {
      return <ReviewSession sessionId={segments[1]} />;
    }
    if (segments[0] === 'review') return <ReviewQueue />;
    return role === 'candidate' ? <MyInterviews /> : <Campaigns />;
  })();

  return (
    <>
      <header>
        <nav aria-label='Main'>
          {role === 'candidate' && <Link to='/interviews'>My interviews</Link>}
          {role === 'hiring_manager' && <Link to='/campaigns'>Campaigns</Link>}
          {role === 'hiring_manager' && <Link to='/review'>Review queue</Link>}
        </nav>
        {session
          ? (
            <>
              <span>{session.user.email}</span>
              <button
                type='button'
                onClick={() => supabase.auth.signOut().then(() => navigate('/'))}
              >
                Sign out
              </button>
            </>
          )
          : <Link to='/signup'>Sign up</Link>}
      </header>
      <main>{screen}</main>
    </>
  );
}
