// What a candidate goes through before the interview starts (start_interview), in order. Each step shows its own
// screen and calls onDone. A new step is one more entry in PRE_START_STEPS.
import { type ReactElement, useEffect, useRef, useState } from 'react';
import { must } from '../api.ts';
import { closeCamera, openCamera } from '../recorder.ts';
import { supabase } from '../supabase.ts';
import type { Database } from '../../../../shared/database.types.ts';
import { ErrorText, useAction } from '../ui.tsx';

/** A row of my_interviews: what the server says of this interview. */
export type MyInterview = Database['public']['Functions']['my_interviews']['Returns'][number];

export interface PreStartStepProps {
  sessionId: string;
  interview: MyInterview;
  onDone: () => void;
}

export interface PreStartStep {
  id: string;
  title: string;
  /** True when the server says this step is done already (the notice accepted on another device, say). */
  done?: (interview: MyInterview) => boolean;
  render: (props: PreStartStepProps) => ReactElement;
}

interface PrivacyNotice {
  version: number;
  text: string;
  controller: string;
  contact: string;
  retention_days: number;
}

// start_interview refuses (privacy_notice_not_accepted) until the current version is accepted; a changed notice
// (privacy_notice_changed when accepting a stale one) is shown again.
function PrivacyNoticeStep({ sessionId, interview, onDone }: PreStartStepProps) {
  const notice = interview.privacy_notice as unknown as PrivacyNotice;
  const [agreed, setAgreed] = useState(false);
  const accept = useAction(async () => {
    await must(supabase.rpc('accept_privacy_notice', { p_session_id: sessionId, p_version: notice.version }));
    onDone();
  });
  return (
    <div>
      <p style={{ whiteSpace: 'pre-line' }}>{notice.text}</p>
      <dl>
        <dt>Data controller</dt>
        <dd>{notice.controller}</dd>
        <dt>Contact</dt>
        <dd>{notice.contact}</dd>
        <dt>Your videos are kept</dt>
        <dd>{notice.retention_days} days</dd>
      </dl>
      <p>
        <label>
          <input type='checkbox' checked={agreed} onChange={(e) => setAgreed(e.target.checked)} />{' '}
          I have read this privacy notice (version {notice.version}) and agree to be recorded
        </label>
      </p>
      <ErrorText error={accept.error} />
      <p>
        <button type='button' disabled={!agreed || accept.busy} onClick={() => accept.run()}>
          Accept and continue
        </button>
      </p>
    </div>
  );
}

function CameraCheck({ onDone }: PreStartStepProps) {
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<unknown>(null);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let stream: MediaStream | null = null;
    let live = true;
    openCamera().then((s) => {
      if (!live) return closeCamera(s);
      stream = s;
      if (video.current) video.current.srcObject = s;
      setReady(true);
    }, setError);
    return () => {
      live = false;
      closeCamera(stream);
    };
  }, []);
  return (
    <div>
      <p>
        Check that you can see yourself. Your browser may ask for the camera and the microphone.
      </p>
      <video
        ref={video}
        autoPlay
        muted
        playsInline
        aria-label='Camera preview'
        width={320}
      />
      <ErrorText error={error} />
      <p>
        <button type='button' disabled={!ready} onClick={onDone}>
          My camera and microphone work
        </button>
      </p>
    </div>
  );
}

export const PRE_START_STEPS: PreStartStep[] = [
  {
    id: 'privacy',
    title: 'Privacy notice',
    done: (interview) => interview.privacy_notice_accepted,
    render: (props) => <PrivacyNoticeStep {...props} />,
  },
  {
    id: 'camera',
    title: 'Camera and microphone',
    render: (props) => <CameraCheck {...props} />,
  },
];

/** Runs the steps the server does not count as done, one after the other, then offers `start`. */
export function PreStart(
  { sessionId, interview, start }: { sessionId: string; interview: MyInterview; start: ReactElement },
) {
  const [steps] = useState(() => PRE_START_STEPS.filter((s) => !s.done?.(interview)));
  const [index, setIndex] = useState(0);
  const step = steps[index];
  if (!step) return start;
  return (
    <section aria-labelledby='prestart-title'>
      <h2 id='prestart-title'>
        Before you start ({index + 1}/{steps.length}): {step.title}
      </h2>
      {step.render({ sessionId, interview, onDone: () => setIndex((i) => i + 1) })}
    </section>
  );
}
