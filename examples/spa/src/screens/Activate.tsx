// The link of an invitation email lands here (/activate?token=…). The activation function first shows what the
// invitation is for (no sign-in needed: the token is the credential), then sets the password and returns a session.
import { type FormEvent } from 'react';
import { callFunction } from '../api.ts';
import { supabase } from '../supabase.ts';
import { navigate } from '../router.tsx';
import { ErrorText, formatDate, useAction, useLoad } from '../ui.tsx';

interface Preview {
  campaign_title: string;
  company: string;
  deadline: string;
}

interface Activation {
  interview_session_id: string;
  session: { access_token: string; refresh_token: string } | null;
}

export function Activate({ token }: { token: string }) {
  const preview = useLoad(
    () => callFunction<Preview>(`activation/${encodeURIComponent(token)}`),
    [token],
  );
  const action = useAction(async (form: HTMLFormElement) => {
    const data = new FormData(form);
    const result = await callFunction<Activation>('activation', {
      body: {
        token,
        password: String(data.get('password')),
        first_name: String(data.get('first_name')).trim() || undefined,
        last_name: String(data.get('last_name')).trim() || undefined,
      },
    });
    if (result.session) {
      const { error } = await supabase.auth.setSession(result.session);
      if (error) throw error;
      navigate(`/interviews/${result.interview_session_id}`);
    } else {
      navigate('/');
    }
  });

  if (preview.error) {
    return (
      <section>
        <h1>Your invitation</h1>
        <ErrorText error={preview.error} />
      </section>
    );
  }
  if (!preview.data) return <p aria-busy='true'>Checking your invitation…</p>;
  const { campaign_title, company, deadline } = preview.data;
  return (
    <form
      onSubmit={(
        e: FormEvent<HTMLFormElement>,
      ) => (e.preventDefault(), action.run(e.currentTarget))}
    >
      <h1>{campaign_title}</h1>
      <p>
        {company} invites you to a video interview. Answer before {formatDate(deadline)}.
      </p>
      <label>
        First name <input name='first_name' autoComplete='given-name' />
      </label>
      <label>
        Last name <input name='last_name' autoComplete='family-name' />
      </label>
      <label>
        Choose a password{' '}
        <input
          name='password'
          type='password'
          autoComplete='new-password'
          required
        />
      </label>
      <button type='submit' disabled={action.busy}>Activate my account</button>
      <ErrorText error={action.error} />
    </form>
  );
}
