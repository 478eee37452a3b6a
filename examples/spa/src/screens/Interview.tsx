// The candidate's side: their interviews, and one interview from start to finish. Where the interview stands always
// comes from the server: my_interviews (status), reveal_next_question (the current question, its answer window and
// the takes used so far; it returns the same question again until it is answered or its time is over), so a reload
// or another device resumes exactly there. The countdowns run on the server's times.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, fromPostgrest, isApiError, must } from '../api.ts';
import { supabase } from '../supabase.ts';
import { Link } from '../router.tsx';
import { closeCamera, openCamera, type Recording, recordingType, startRecording } from '../recorder.ts';
import { type CompletedTake, StreamingUpload, type UploadPhase, uploadTake } from '../upload.ts';
import { codeOf } from '../messages.ts';
import { ErrorText, formatDate, Status, useAction, useLoad } from '../ui.tsx';
import { PreStart } from './prestart.tsx';

interface RevealedQuestion {
  question_id: string;
  prompt: string;
  question_number: number;
  question_count: number;
  answer_opens_at: string;
  answer_closes_at: string;
  max_takes: number;
  takes_used: number;
}

export function MyInterviews() {
  const interviews = useLoad(() => must(supabase.rpc('my_interviews')), []);
  return (
    <section>
      <h1>My interviews</h1>
      <ErrorText error={interviews.error} />
      {interviews.data?.length === 0 && <p>No interviews yet.</p>}
      <ul>
        {interviews.data?.map((i) => (
          <li key={i.session_id}>
            <Link to={`/interviews/${i.session_id}`}>{i.title}</Link> at {i.company}: {i.status}, {i.answered_count}/
            {i.question_count} answered, answer before {formatDate(i.deadline)}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Milliseconds until `iso`, refreshed four times a second. */
function useCountdown(iso: string): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, []);
  return new Date(iso).getTime() - now;
}

export function Interview({ sessionId }: { sessionId: string }) {
  const info = useLoad(async () => {
    const rows = await must(supabase.rpc('my_interviews'));
    const row = rows.find((r) => r.session_id === sessionId);
    if (!row) throw new ApiError(404, 'session_not_found', 'not found');
    return row;
  }, [sessionId]);
  const [question, setQuestion] = useState<RevealedQuestion | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const [finished, setFinished] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const finish = useCallback(async () => {
    await must(supabase.rpc('finish_interview', { p_session_id: sessionId }));
    setFinished(true);
  }, [sessionId]);

  const reveal = useCallback(async () => {
    setError(null);
    setSubmitted(false);
    const { data, error } = await supabase.rpc('reveal_next_question', {
      p_session_id: sessionId,
    });
    if (error) {
      const refusal = fromPostgrest(error);
      if (refusal.code === 'no_more_questions') {
        return await finish().catch(setError);
      }
      return setError(refusal);
    }
    setQuestion(data as unknown as RevealedQuestion);
  }, [sessionId, finish]);

  const status = info.data?.status;
  useEffect(() => {
    if (status === 'in_progress') reveal();
    if (status === 'completed') setFinished(true);
  }, [status, reveal]);

  const start = useAction(async () => {
    await must(supabase.rpc('start_interview', { p_session_id: sessionId }));
    await reveal();
  });

  if (info.error) return <ErrorText error={info.error} />;
  if (!info.data) return <p aria-busy='true'>Loading your interview…</p>;
  const { title, company } = info.data;
  return (
    <section>
      <h1>{title}</h1>
      <p>{company} · answer before {formatDate(info.data.deadline)}</p>
      {finished
        ? (
          <>
            <h2>Interview complete</h2>
            <Status>Thank you: your answers are sent to {company}.</Status>
          </>
        )
        : status === 'invited' && !question
        ? (
          <PreStart
            sessionId={sessionId}
            interview={info.data}
            start={
              <StartStep
                questionCount={info.data.question_count}
                opensAt={info.data.start_date}
                start={start}
              />
            }
          />
        )
        : submitted
        ? (
          <>
            <Status>Answer submitted.</Status>
            <button type='button' onClick={() => reveal()}>
              Next question
            </button>
          </>
        )
        : question
        ? (
          <Question
            key={question.question_id}
            sessionId={sessionId}
            question={question}
            onSubmitted={(done) => (done.session_status === 'completed' ? setFinished(true) : setSubmitted(true))}
            onRefresh={reveal}
            onFinish={() => finish().catch(setError)}
          />
        )
        : !error && <p aria-busy='true'>Loading the question…</p>}
      <ErrorText error={error} />
    </section>
  );
}

function StartStep({ questionCount, opensAt, start }: {
  questionCount: number;
  opensAt: string;
  start: ReturnType<typeof useAction<[]>>;
}) {
  // The server refuses a start before the campaign opens (campaign_not_started): wait for it here.
  const opensIn = useCountdown(opensAt);
  return (
    <div>
      <p>
        {questionCount}{' '}
        questions. Each has a thinking time, then an answer time; the countdown starts as soon as a question is shown.
      </p>
      {opensIn > 0 && <Status>The interview opens in {Math.ceil(opensIn / 1000)} s.</Status>}
      <button
        type='button'
        disabled={start.busy || opensIn > 0}
        onClick={() => start.run()}
      >
        Start the interview
      </button>
      <ErrorText error={start.error} />
    </div>
  );
}

function Question({ sessionId, question, onSubmitted, onRefresh, onFinish }: {
  sessionId: string;
  question: RevealedQuestion;
  onSubmitted: (take: CompletedTake) => void;
  onRefresh: () => void;
  onFinish: () => void;
}) {
  const preview = useRef<HTMLVideoElement>(null);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [cameraError, setCameraError] = useState<unknown>(null);
  const stopRef = useRef<(() => Promise<Recording>) | null>(null);
  const [recording, setRecording] = useState(false);
  const [take, setTake] = useState<Recording | null>(null);
  const [takeUrl, setTakeUrl] = useState<string | null>(null);
  const [phase, setPhase] = useState<UploadPhase | null>(null);
  const [uploadError, setUploadError] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);
  // The take being uploaded while it is recorded; null when recording without it (then uploaded afterwards).
  const streaming = useRef<StreamingUpload | null>(null);
  const untilOpen = useCountdown(question.answer_opens_at);
  const untilClose = useCountdown(question.answer_closes_at);

  useEffect(() => {
    let live = true;
    let opened: MediaStream | null = null;
    openCamera().then(
      (s) => (live ? setStream(opened = s) : closeCamera(s)),
      setCameraError,
    );
    return () => {
      live = false;
      closeCamera(opened);
    };
  }, []);
  useEffect(() => {
    if (preview.current) preview.current.srcObject = stream;
  }, [stream, take]);
  useEffect(() => () => {
    if (takeUrl) URL.revokeObjectURL(takeUrl);
  }, [takeUrl]);

  const stop = useCallback(async () => {
    const stopIt = stopRef.current;
    if (!stopIt) return;
    stopRef.current = null;
    const done = await stopIt();
    setRecording(false);
    setTake(done);
    setTakeUrl(URL.createObjectURL(done.blob));
  }, []);
  // The answer time ends the recording, as the server will refuse a longer one.
  useEffect(() => {
    if (recording && untilClose <= 0) stop();
  }, [recording, untilClose, stop]);

  const record = async () => {
    if (!stream) return;
    setTake(null);
    setUploadError(null);
    if (streaming.current) await streaming.current.abandon();
    streaming.current = null;
    let upload: StreamingUpload | null = null;
    try {
      upload = await StreamingUpload.start({
        sessionId,
        questionId: question.question_id,
        contentType: recordingType(),
        onPhase: setPhase,
      });
    } catch (error) {
      // Without the network, record anyway and upload afterwards; a refusal (no takes left, time over) is final.
      if (!isApiError(error) || !error.retryable) {
        setUploadError(error);
        return onRefresh();
      }
    }
    streaming.current = upload;
    stopRef.current = startRecording(
      stream,
      upload ? (chunk) => upload.push(chunk) : undefined,
    );
    setRecording(true);
    // The take counts from its grant: show the server's count.
    if (upload) onRefresh();
  };

  const upload = async () => {
    if (!take) return;
    setUploadError(null);
    setSubmitting(true);
    try {
      const done = streaming.current ? await streaming.current.finish() : await uploadTake({
        sessionId,
        questionId: question.question_id,
        recording: take.blob,
        durationSeconds: take.durationSeconds,
        onPhase: setPhase,
      });
      onSubmitted(done);
    } catch (error) {
      // A stream that failed for good is not resumed: "Try again" uploads the kept recording as a new take.
      streaming.current = null;
      setSubmitting(false);
      setPhase(null);
      setUploadError(error);
      // A refused take still counts: ask the server how many are left.
      if (!codeOf(error)?.startsWith('network')) onRefresh();
    }
  };

  const takesLeft = question.max_takes - question.takes_used;
  const thinking = untilOpen > 0;
  const over = untilClose <= 0 && !recording && !take;
  const busy = submitting;
  const inTake = recording || take !== null;
  return (
    <div>
      <h2>Question {question.question_number} of {question.question_count}</h2>
      <p aria-live='polite'>{question.prompt}</p>
      <p>Takes used: {question.takes_used} of {question.max_takes}</p>
      {thinking
        ? (
          <Status>
            Thinking time: recording opens in {Math.ceil(untilOpen / 1000)} s
          </Status>
        )
        : !over && (
          <p aria-live='off'>
            Answer time left: {Math.max(0, Math.ceil(untilClose / 1000))} s
          </p>
        )}
      {take && takeUrl && !recording
        ? (
          <video
            src={takeUrl}
            controls
            aria-label='Your recording'
            width={320}
          />
        )
        : (
          <video
            ref={preview}
            autoPlay
            muted
            playsInline
            aria-label='Camera preview'
            width={320}
          />
        )}
      <ErrorText error={cameraError} />
      {takesLeft <= 0 && !inTake && (
        <>
          <p role='alert' className='error'>No takes left for this question.</p>
          <button type='button' onClick={onFinish}>Finish the interview</button>
        </>
      )}
      {over && takesLeft > 0 && (
        <>
          <p role='alert' className='error'>
            The answer time for this question is over.
          </p>
          <button type='button' onClick={onRefresh}>Next question</button>
        </>
      )}
      <div className='row'>
        {!recording && !take && takesLeft > 0 && !over && (
          <button type='button' disabled={thinking || !stream} onClick={record}>
            Start recording
          </button>
        )}
        {recording && <button type='button' onClick={stop}>Stop recording</button>}
        {take && !busy && (
          <>
            <button type='button' onClick={upload}>
              {uploadError ? 'Try again' : 'Upload and submit'}
            </button>
            {untilClose > 0 && (!streaming.current || takesLeft > 0) && (
              <button type='button' onClick={record}>
                {streaming.current ? 'Record again (a new take)' : 'Record again'}
              </button>
            )}
          </>
        )}
      </div>
      {recording && <Status>Recording…</Status>}
      <UploadProgress phase={phase} />
      <ErrorText error={uploadError} />
    </div>
  );
}

function UploadProgress({ phase }: { phase: UploadPhase | null }) {
  if (!phase) return null;
  if (phase.kind === 'requesting') {
    return <Status>Preparing the upload…</Status>;
  }
  if (phase.kind === 'verifying') return <Status>Checking the video…</Status>;
  if (phase.kind === 'offline') {
    return (
      <Status>
        Connection lost. Your recording is kept{phase.take ? ` (take ${phase.take})` : ''}; retrying in{' '}
        {phase.retryInSeconds} s.
      </Status>
    );
  }
  const percent = Math.round((phase.sent / phase.total) * 100);
  return (
    <div>
      <label>
        Uploading take {phase.take} of {phase.maxTakes}: {percent}%
        <progress max={phase.total} value={phase.sent} />
      </label>
    </div>
  );
}
