// Reviewers: the queue of answers waiting for their rating (pending_reviews), an interview's answers with playback
// (a signed GET from the uploads function, straight from the bucket), a blind rating (each reviewer reads only their
// own scores until the database says otherwise), and the owner's or an editor's decision.
import { type FormEvent, useState } from 'react';
import { callFunction, must } from '../api.ts';
import { supabase, type Tables } from '../supabase.ts';
import { Link } from '../router.tsx';
import { ErrorText, formatDate, Status, useAction, useLoad } from '../ui.tsx';

export function ReviewQueue() {
  const queue = useLoad(
    () => must(supabase.rpc('pending_reviews', { p_limit: 50 })),
    [],
  );
  return (
    <section>
      <h1>Review queue</h1>
      <ErrorText error={queue.error} />
      {queue.data?.length === 0 && <p>Nothing waiting for your rating.</p>}
      <ul>
        {queue.data?.map((r) => (
          <li key={r.response_id}>
            <Link to={`/review/${r.session_id}`}>
              Answer submitted {formatDate(r.submitted_at)}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

interface Playback {
  url: string;
}

export function ReviewSession({ sessionId }: { sessionId: string }) {
  const data = useLoad(async () => {
    const { data: user } = await supabase.auth.getUser();
    const session = await must(
      supabase.from('interview_sessions')
        .select(
          'id, campaign_id, status, invited_first_name, invited_last_name, campaigns(title)',
        )
        .eq('id', sessionId).single(),
    );
    const [questions, responses, mine, decision] = await Promise.all([
      must(
        supabase.from('questions').select('id, position, prompt').eq(
          'campaign_id',
          session.campaign_id,
        ),
      ),
      must(
        supabase.from('video_responses').select(
          'id, question_id, take_number, duration_seconds, submitted_at',
        )
          .eq('session_id', sessionId).eq('is_submitted', true),
      ),
      must(
        supabase.from('evaluations').select('response_id, score, comment').eq(
          'session_id',
          sessionId,
        )
          .eq('reviewer_id', user.user?.id ?? ''),
      ),
      must(
        supabase.from('session_decisions').select('decision, note').eq(
          'session_id',
          sessionId,
        ).maybeSingle(),
      ),
    ]);
    const position = new Map(questions.map((q) => [q.id, q]));
    responses.sort((a, b) =>
      (position.get(a.question_id)?.position ?? 0) -
      (position.get(b.question_id)?.position ?? 0)
    );
    return { session, position, responses, mine, decision };
  }, [sessionId]);

  if (data.error) return <ErrorText error={data.error} />;
  if (!data.data) return <p aria-busy='true'>Loading…</p>;
  const { session, position, responses, mine, decision } = data.data;
  return (
    <section>
      <h1>
        {session.campaigns?.title}: {session.invited_first_name} {session.invited_last_name}
      </h1>
      <p>Interview {session.status}</p>
      {responses.length === 0 && <p>No submitted answers yet.</p>}
      {responses.map((r) => (
        <Answer
          key={r.id}
          response={r}
          prompt={position.get(r.question_id)?.prompt ?? ''}
          rating={mine.find((m) => m.response_id === r.id) ?? null}
          onRated={data.reload}
        />
      ))}
      <Decision
        sessionId={sessionId}
        current={decision}
        onSaved={data.reload}
      />
    </section>
  );
}

function Answer({ response, prompt, rating, onRated }: {
  response: Pick<
    Tables<'video_responses'>,
    'id' | 'take_number' | 'duration_seconds'
  >;
  prompt: string;
  rating: { score: number; comment: string } | null;
  onRated: () => void;
}) {
  const [url, setUrl] = useState<string | null>(null);
  const play = useAction(async () => {
    setUrl(
      (await callFunction<Playback>(`uploads/${response.id}/playback`)).url,
    );
  });
  const rate = useAction(async (form: HTMLFormElement) => {
    const data = new FormData(form);
    await must(
      supabase.from('evaluations').insert({
        response_id: response.id,
        score: Number(data.get('score')),
        comment: String(data.get('comment') ?? ''),
      } as Tables<'evaluations'>),
    );
    onRated();
  });
  return (
    <article aria-label={prompt}>
      <h2>{prompt}</h2>
      <p>
        Take {response.take_number}
        {response.duration_seconds ? `, ${response.duration_seconds} s` : ''}
      </p>
      {url
        ? (
          <video
            src={url}
            controls
            autoPlay
            muted
            aria-label={`Answer: ${prompt}`}
            width={480}
          />
        )
        : <button type='button' onClick={() => play.run()}>Play answer</button>}
      <ErrorText error={play.error} />
      {rating
        ? (
          <Status>
            Your rating: {rating.score}/5 {rating.comment && `(${rating.comment})`}
          </Status>
        )
        : (
          <form
            onSubmit={(
              e: FormEvent<HTMLFormElement>,
            ) => (e.preventDefault(), rate.run(e.currentTarget))}
          >
            <fieldset>
              <legend>Your rating</legend>
              {[1, 2, 3, 4, 5].map((n) => (
                <label
                  key={n}
                  style={{ display: 'inline-block', marginRight: '1rem' }}
                >
                  <input type='radio' name='score' value={n} required /> {n}
                </label>
              ))}
            </fieldset>
            <label>
              Comment <input name='comment' />
            </label>
            <button type='submit' disabled={rate.busy}>Save rating</button>
            <ErrorText error={rate.error} />
          </form>
        )}
    </article>
  );
}

function Decision({ sessionId, current, onSaved }: {
  sessionId: string;
  current: { decision: string; note: string } | null;
  onSaved: () => void;
}) {
  const save = useAction(async (form: HTMLFormElement) => {
    const data = new FormData(form);
    const decision = String(data.get('decision')) as Tables<
      'session_decisions'
    >['decision'];
    const note = String(data.get('note') ?? '');
    // Insert once, then update: the session id itself is not updatable, so no upsert.
    if (current) {
      await must(
        supabase.from('session_decisions').update({ decision, note }).eq(
          'session_id',
          sessionId,
        ),
      );
    } else {
      await must(
        supabase.from('session_decisions').insert(
          { session_id: sessionId, decision, note } as Tables<
            'session_decisions'
          >,
        ),
      );
    }
    onSaved();
  });
  return (
    <form
      onSubmit={(
        e: FormEvent<HTMLFormElement>,
      ) => (e.preventDefault(), save.run(e.currentTarget))}
    >
      <h2>Decision</h2>
      {current && <Status>Decision: {current.decision}</Status>}
      <label htmlFor={`decision-${sessionId}`}>Decision</label>{' '}
      <select
        id={`decision-${sessionId}`}
        name='decision'
        defaultValue={current?.decision ?? 'advance'}
      >
        <option value='advance'>Advance</option>
        <option value='hold'>Hold</option>
        <option value='reject'>Reject</option>
      </select>
      <label>
        Note <input name='note' defaultValue={current?.note ?? ''} />
      </label>
      <button type='submit' disabled={save.busy}>Save decision</button>
      <ErrorText error={save.error} />
    </form>
  );
}
