// Recruiter screens. Campaigns and questions are plain tables written through PostgREST under RLS (the database
// checks dates, limits and who may edit); invitations and analytics go through their functions.
import { type FormEvent, useState } from 'react';
import { callFunction, must } from '../api.ts';
import { supabase, type Tables } from '../supabase.ts';
import { Link, navigate } from '../router.tsx';
import { ErrorText, formatDate, Status, useAction, useLoad } from '../ui.tsx';
import { ShareCampaign, Team } from './Team.tsx';

interface QuestionDraft {
  prompt: string;
  think_time_seconds: number;
  answer_time_seconds: number;
  max_takes: number;
}

const newQuestion = (): QuestionDraft => ({
  prompt: '',
  think_time_seconds: 10,
  answer_time_seconds: 120,
  max_takes: 2,
});

/** A `datetime-local` value (local time, no zone) as an ISO timestamp. */
const isoFromLocal = (value: string) => new Date(value).toISOString();

export function Campaigns() {
  const campaigns = useLoad(
    () =>
      must(
        supabase.from('campaigns').select(
          'id, title, status, start_date, end_date',
        ).order('created_at'),
      ),
    [],
  );
  return (
    <section>
      <h1>Campaigns</h1>
      <ErrorText error={campaigns.error} />
      <ul>
        {campaigns.data?.map((c) => (
          <li key={c.id}>
            <Link to={`/campaigns/${c.id}`}>{c.title}</Link> ({c.status}, until {formatDate(c.end_date)})
          </li>
        ))}
      </ul>
      <NewCampaign />
      <Team />
    </section>
  );
}

function NewCampaign() {
  const [questions, setQuestions] = useState<QuestionDraft[]>([newQuestion()]);
  const update = (i: number, patch: Partial<QuestionDraft>) =>
    setQuestions((qs) => qs.map((q, j) => (j === i ? { ...q, ...patch } : q)));
  const action = useAction(async (form: HTMLFormElement) => {
    const data = new FormData(form);
    const opens = String(data.get('start_date'));
    const campaign = await must(
      supabase.from('campaigns').insert({
        title: String(data.get('title')).trim(),
        description: String(data.get('description') ?? ''),
        status: 'active',
        // The database refuses a start in the past: "now" means in a few seconds.
        start_date: opens ? isoFromLocal(opens) : new Date(Date.now() + 5_000).toISOString(),
        end_date: isoFromLocal(String(data.get('end_date'))),
      }).select('id').single(),
    );
    await must(
      supabase.from('questions').insert(
        questions.map((q, i) => ({
          ...q,
          campaign_id: campaign.id,
          position: i + 1,
        })),
      ),
    );
    navigate(`/campaigns/${campaign.id}`);
  });
  const inAWeek = new Date(
    Date.now() + 7 * 86_400_000 - new Date().getTimezoneOffset() * 60_000,
  )
    .toISOString().slice(0, 16);
  return (
    <form
      onSubmit={(
        e: FormEvent<HTMLFormElement>,
      ) => (e.preventDefault(), action.run(e.currentTarget))}
    >
      <h2>New campaign</h2>
      <label>
        Job title <input name='title' required maxLength={200} />
      </label>
      <label>
        Description <textarea name='description' rows={2} />
      </label>
      <label>
        Opens (empty: now) <input name='start_date' type='datetime-local' />
      </label>
      <label>
        Closes{' '}
        <input
          name='end_date'
          type='datetime-local'
          defaultValue={inAWeek}
          required
        />
      </label>
      {questions.map((q, i) => (
        <fieldset key={i}>
          <legend>Question {i + 1}</legend>
          <label>
            Prompt{' '}
            <input
              value={q.prompt}
              onChange={(e) => update(i, { prompt: e.target.value })}
              required
            />
          </label>
          <div className='row'>
            <label>
              Thinking time (s){' '}
              <input
                type='number'
                min={0}
                value={q.think_time_seconds}
                onChange={(e) => update(i, { think_time_seconds: Number(e.target.value) })}
              />
            </label>
            <label>
              Answer time (s){' '}
              <input
                type='number'
                min={10}
                value={q.answer_time_seconds}
                onChange={(e) => update(i, { answer_time_seconds: Number(e.target.value) })}
              />
            </label>
            <label>
              Takes allowed{' '}
              <input
                type='number'
                min={1}
                max={10}
                value={q.max_takes}
                onChange={(e) => update(i, { max_takes: Number(e.target.value) })}
              />
            </label>
            {questions.length > 1 && (
              <button
                type='button'
                onClick={() => setQuestions((qs) => qs.filter((_, j) => j !== i))}
              >
                Remove question {i + 1}
              </button>
            )}
          </div>
        </fieldset>
      ))}
      <button
        type='button'
        onClick={() => setQuestions((qs) => [...qs, newQuestion()])}
      >
        Add a question
      </button>{' '}
      <button type='submit' disabled={action.busy}>Create campaign</button>
      <ErrorText error={action.error} />
    </form>
  );
}

interface Report {
  funnel: {
    invited: number;
    started: number;
    completed: number;
    in_progress: number;
    not_started: number;
  };
  completion_rate: number | null;
}

type SessionRow = Pick<
  Tables<'interview_sessions'>,
  | 'id'
  | 'status'
  | 'deadline'
  | 'email_status'
  | 'invited_email'
  | 'invited_first_name'
  | 'invited_last_name'
>;

export function CampaignPage({ campaignId }: { campaignId: string }) {
  const campaign = useLoad(
    () =>
      must(
        supabase.from('campaigns').select('*, questions(id, position, prompt)')
          .eq('id', campaignId).single(),
      ),
    [campaignId],
  );
  const sessions = useLoad(
    () =>
      must(
        supabase.from('interview_sessions')
          .select(
            'id, status, deadline, email_status, invited_email, invited_first_name, invited_last_name',
          )
          .eq('campaign_id', campaignId).order('invited_at'),
      ),
    [campaignId],
  );
  const report = useLoad(
    () => callFunction<Report>(`analytics/campaigns/${campaignId}`),
    [campaignId],
  );
  const close = useAction(async () => {
    await must(
      supabase.from('campaigns').update({ status: 'closed' }).eq(
        'id',
        campaignId,
      ),
    );
    campaign.reload();
  });
  const exportCsv = useAction(async () => {
    const csv = await callFunction<string>(
      `analytics/campaigns/${campaignId}/export.csv`,
    );
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
    link.download = `campaign-${campaignId}.csv`;
    link.click();
  });
  const refresh = () => (sessions.reload(), report.reload());

  if (campaign.error) return <ErrorText error={campaign.error} />;
  if (!campaign.data) return <p aria-busy='true'>Loading…</p>;
  const c = campaign.data;
  return (
    <section>
      <h1>{c.title}</h1>
      <p>
        {c.status} · opens {formatDate(c.start_date)} · closes {formatDate(c.end_date)}{' '}
        {c.status === 'active' && (
          <button
            type='button'
            onClick={() => close.run()}
          >
            Close campaign
          </button>
        )}
      </p>
      <ErrorText error={close.error} />
      <EditCampaign campaign={c} onSaved={campaign.reload} />
      <h2>Questions</h2>
      <ol>
        {[...c.questions].sort((a, b) => a.position - b.position).map((q) => <li key={q.id}>{q.prompt}</li>)}
      </ol>

      <h2>Dashboard</h2>
      <ErrorText error={report.error} />
      {report.data && (
        <dl aria-label='Dashboard'>
          <dt>Invited</dt>
          <dd data-testid='invited'>{report.data.funnel.invited}</dd>
          <dt>Started</dt>
          <dd>{report.data.funnel.started}</dd>
          <dt>Completed</dt>
          <dd data-testid='completed'>{report.data.funnel.completed}</dd>
        </dl>
      )}
      <button type='button' onClick={() => exportCsv.run()}>Export CSV</button>
      <ErrorText error={exportCsv.error} />

      <ShareCampaign campaign={c} />

      <Invite campaignId={campaignId} onInvited={refresh} />

      <h2>Candidates</h2>
      <button type='button' onClick={refresh}>Refresh</button>
      <ErrorText error={sessions.error} />
      <table>
        <thead>
          <tr>
            <th>Candidate</th>
            <th>Status</th>
            <th>Email</th>
            <th>Deadline</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          {sessions.data?.map((s) => <SessionLine key={s.id} session={s} onChanged={refresh} />)}
        </tbody>
      </table>
    </section>
  );
}

function EditCampaign(
  { campaign, onSaved }: { campaign: Tables<'campaigns'>; onSaved: () => void },
) {
  const action = useAction(async (form: HTMLFormElement) => {
    const data = new FormData(form);
    await must(
      supabase.from('campaigns').update({
        title: String(data.get('title')).trim(),
        end_date: isoFromLocal(String(data.get('end_date'))),
      }).eq('id', campaign.id),
    );
    onSaved();
  });
  const local = new Date(
    new Date(campaign.end_date).getTime() -
      new Date().getTimezoneOffset() * 60_000,
  )
    .toISOString().slice(0, 16);
  return (
    <details>
      <summary>Edit campaign</summary>
      <form
        onSubmit={(
          e: FormEvent<HTMLFormElement>,
        ) => (e.preventDefault(), action.run(e.currentTarget))}
      >
        <label>
          Job title <input name='title' defaultValue={campaign.title} required />
        </label>
        <label>
          Closes{' '}
          <input
            name='end_date'
            type='datetime-local'
            defaultValue={local}
            required
          />
        </label>
        <button type='submit' disabled={action.busy}>Save</button>
        <ErrorText error={action.error} />
      </form>
    </details>
  );
}

function Invite(
  { campaignId, onInvited }: { campaignId: string; onInvited: () => void },
) {
  const [note, setNote] = useState('');
  const one = useAction(async (form: HTMLFormElement) => {
    const data = new FormData(form);
    const result = await callFunction<{ email: string }>('invitations', {
      body: {
        campaign_id: campaignId,
        email: String(data.get('email')).trim(),
        first_name: String(data.get('first_name')).trim(),
        last_name: String(data.get('last_name')).trim(),
      },
    });
    setNote(`Invitation queued for ${result.email}.`);
    form.reset();
    onInvited();
  });
  const bulk = useAction(async (form: HTMLFormElement) => {
    // The CSV goes as is; the function reads its header row (email, first_name, last_name, …).
    const body = new FormData();
    body.set(
      'file',
      (form.elements.namedItem('file') as HTMLInputElement).files![0],
    );
    const results = await callFunction<{ results: Array<{ status: string }> }>(
      `invitations/bulk?campaign_id=${campaignId}`,
      { raw: body },
    );
    const created = results.results.filter((r) => r.status === 'created').length;
    setNote(
      `${created} invited, ${results.results.length - created} skipped or refused.`,
    );
    onInvited();
  });
  return (
    <section>
      <h2>Invite candidates</h2>
      <form
        onSubmit={(
          e: FormEvent<HTMLFormElement>,
        ) => (e.preventDefault(), one.run(e.currentTarget))}
      >
        <div className='row'>
          <label>
            Email <input name='email' type='email' required />
          </label>
          <label>
            First name <input name='first_name' required />
          </label>
          <label>
            Last name <input name='last_name' required />
          </label>
          <button type='submit' disabled={one.busy}>Invite</button>
        </div>
        <ErrorText error={one.error} />
      </form>
      <form
        onSubmit={(
          e: FormEvent<HTMLFormElement>,
        ) => (e.preventDefault(), bulk.run(e.currentTarget))}
      >
        <div className='row'>
          <label>
            CSV file <input name='file' type='file' accept='.csv,text/csv' required />
          </label>
          <button type='submit' disabled={bulk.busy}>Invite from CSV</button>
        </div>
        <ErrorText error={bulk.error} />
      </form>
      {note && <Status>{note}</Status>}
    </section>
  );
}

function SessionLine(
  { session, onChanged }: { session: SessionRow; onChanged: () => void },
) {
  const act = useAction(async (what: 'resend' | 'extend' | 'withdraw') => {
    if (what === 'resend') {
      await callFunction(`invitations/${session.id}/resend`, { body: {} });
    }
    if (what === 'withdraw') {
      await callFunction(`invitations/${session.id}`, { method: 'DELETE' });
    }
    if (what === 'extend') {
      const deadline = new Date(
        new Date(session.deadline).getTime() + 7 * 86_400_000,
      ).toISOString();
      await callFunction(`invitations/${session.id}`, {
        method: 'PATCH',
        body: { deadline },
      });
    }
    onChanged();
  });
  const open = session.status === 'invited' || session.status === 'in_progress';
  const name = `${session.invited_first_name} ${session.invited_last_name}`.trim() ||
    session.invited_email;
  return (
    <tr>
      <td>{name} ({session.invited_email})</td>
      <td>{session.status}</td>
      <td>{session.email_status ?? '—'}</td>
      <td>{formatDate(session.deadline)}</td>
      <td>
        <Link to={`/review/${session.id}`}>Review</Link> {session.status === 'invited' && (
          <button
            type='button'
            onClick={() => act.run('resend')}
          >
            Resend
          </button>
        )}
        {open && (
          <button type='button' onClick={() => act.run('extend')}>
            Extend 7 days
          </button>
        )}
        {open && (
          <button type='button' onClick={() => act.run('withdraw')}>
            Withdraw
          </button>
        )}
        <ErrorText error={act.error} />
      </td>
    </tr>
  );
}
