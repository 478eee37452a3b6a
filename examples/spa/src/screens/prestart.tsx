// What a candidate goes through before the interview starts (start_interview), in order. Each step shows its own
// screen and calls onDone. A new step (a notice to accept, say) is one more entry in PRE_START_STEPS.
import { type ReactElement, useEffect, useRef, useState } from 'react';
import { closeCamera, openCamera } from '../recorder.ts';
import { ErrorText } from '../ui.tsx';

export interface PreStartStepProps {
  sessionId: string;
  onDone: () => void;
}

export interface PreStartStep {
  id: string;
  title: string;
  render: (props: PreStartStepProps) => ReactElement;
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
    id: 'camera',
    title: 'Camera and microphone',
    render: (props) => <CameraCheck {...props} />,
  },
];

/** Runs the steps one after the other, then offers `start`. */
export function PreStart(
  { sessionId, start }: { sessionId: string; start: ReactElement },
) {
  const [index, setIndex] = useState(0);
  const step = PRE_START_STEPS[index];
  if (!step) return start;
  return (
    <section aria-labelledby='prestart-title'>
      <h2 id='prestart-title'>
        Before you start ({index + 1}/{PRE_START_STEPS.length}): {step.title}
      </h2>
      {step.render({ sessionId, onDone: () => setIndex((i) => i + 1) })}
    </section>
  );
}
