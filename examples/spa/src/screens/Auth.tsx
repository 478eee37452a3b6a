// Sign up, sign in, password reset: supabase-js Auth against GoTrue. Sign-up metadata (`role`, names, company) is
// what the database's sign-up trigger reads to create the hiring_managers or candidates row.
import { type FormEvent, useState } from 'react';
import { supabase } from '../supabase.ts';
import { fromPostgrest } from '../api.ts';
import { Link, navigate } from '../router.tsx';
import { ErrorText, Status, useAction } from '../ui.tsx';

function field(form: HTMLFormElement, name: string): string {
  return String(new FormData(form).get(name) ?? '').trim();
}

export function SignIn() {
  const action = useAction(async (form: HTMLFormElement) => {
    const { error } = await supabase.auth.signInWithPassword({
      email: field(form, 'email'),
      password: String(new FormData(form).get('password')),
    });
    if (error) throw error;
    // Stay where the person was going (an invitation's link, say).
    navigate(
      location.pathname === '/signin' ? '/' : location.pathname + location.search,
    );
  });
  return (
    <form
      onSubmit={(
        e: FormEvent<HTMLFormElement>,
      ) => (e.preventDefault(), action.run(e.currentTarget))}
    >
      <h1>Sign in</h1>
      <label>
        Email <input name='email' type='email' autoComplete='email' required />
      </label>
      <label>
        Password{' '}
        <input
          name='password'
          type='password'
          autoComplete='current-password'
          required
        />
      </label>
      <button type='submit' disabled={action.busy}>Sign in</button>
      <ErrorText error={action.error} />
      <p>
        <Link to='/reset-password'>Forgot your password?</Link> · <Link to='/signup'>Create an account</Link>
      </p>
    </form>
  );
}

export function SignUp() {
  const [role, setRole] = useState<'hiring_manager' | 'candidate'>(
    'hiring_manager',
  );
  const action = useAction(async (form: HTMLFormElement) => {
    const { data, error } = await supabase.auth.signUp({
      email: field(form, 'email'),
      password: String(new FormData(form).get('password')),
      options: {
        data: {
          role,
          first_name: field(form, 'first_name'),
          last_name: field(form, 'last_name'),
          ...(role === 'hiring_manager' ? { company: field(form, 'company') } : {}),
        },
      },
    });
    if (error) throw error;
    // With email confirmations on, there is no session until the link in the email is followed.
    if (!data.session) {
      throw new Error(
        'Check your email to confirm your address, then sign in.',
      );
    }
    navigate(role === 'hiring_manager' ? '/campaigns' : '/interviews');
  });
  return (
    <form
      onSubmit={(
        e: FormEvent<HTMLFormElement>,
      ) => (e.preventDefault(), action.run(e.currentTarget))}
    >
      <h1>Create an account</h1>
      <fieldset>
        <legend>I am</legend>
        <label>
          <input
            type='radio'
            name='role'
            checked={role === 'hiring_manager'}
            onChange={() => setRole('hiring_manager')}
          />{' '}
          a recruiter
        </label>
        <label>
          <input
            type='radio'
            name='role'
            checked={role === 'candidate'}
            onChange={() => setRole('candidate')}
          />{' '}
          a candidate
        </label>
      </fieldset>
      <label>
        First name <input name='first_name' autoComplete='given-name' />
      </label>
      <label>
        Last name <input name='last_name' autoComplete='family-name' />
      </label>
      {role === 'hiring_manager' && (
        <label>
          Company <input name='company' autoComplete='organization' required />
        </label>
      )}
      <label>
        Email <input name='email' type='email' autoComplete='email' required />
      </label>
      <label>
        Password{' '}
        <input
          name='password'
          type='password'
          autoComplete='new-password'
          minLength={8}
          required
        />
      </label>
      <button type='submit' disabled={action.busy}>Create account</button>
      <ErrorText error={action.error} />
      <p>
        <Link to='/'>I already have an account</Link>
      </p>
    </form>
  );
}

export function ResetPassword() {
  const [sent, setSent] = useState(false);
  const action = useAction(async (form: HTMLFormElement) => {
    const { error } = await supabase.auth.resetPasswordForEmail(
      field(form, 'email'),
      {
        redirectTo: `${location.origin}/update-password`,
      },
    );
    if (error) throw error;
    setSent(true);
  });
  return (
    <form
      onSubmit={(
        e: FormEvent<HTMLFormElement>,
      ) => (e.preventDefault(), action.run(e.currentTarget))}
    >
      <h1>Reset your password</h1>
      <label>
        Email <input name='email' type='email' autoComplete='email' required />
      </label>
      <button type='submit' disabled={action.busy}>Send the reset link</button>
      {sent && (
        <Status>
          If an account exists for this address, an email with a link is on its way.
        </Status>
      )}
      <ErrorText error={action.error} />
    </form>
  );
}

export function UpdatePassword() {
  const [done, setDone] = useState(false);
  const action = useAction(async (form: HTMLFormElement) => {
    const { error } = await supabase.auth.updateUser({
      password: String(new FormData(form).get('password')),
    });
    if (error) {
      throw fromPostgrest({
        code: error.code,
        message: error.code ?? error.message,
      });
    }
    setDone(true);
  });
  return (
    <form
      onSubmit={(
        e: FormEvent<HTMLFormElement>,
      ) => (e.preventDefault(), action.run(e.currentTarget))}
    >
      <h1>Choose a new password</h1>
      <label>
        New password{' '}
        <input
          name='password'
          type='password'
          autoComplete='new-password'
          required
        />
      </label>
      <button type='submit' disabled={action.busy}>Save</button>
      {done && (
        <Status>
          Your password is changed. <Link to='/'>Continue</Link>
        </Status>
      )}
      <ErrorText error={action.error} />
    </form>
  );
}
