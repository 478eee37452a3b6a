// Small shared pieces: an async action with its error, and how errors and statuses are announced.
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { messageFor } from './messages.ts';

export function ErrorText({ error }: { error: unknown }) {
  if (!error) return null;
  return <p role='alert' className='error'>{messageFor(error)}</p>;
}

export function Status({ children }: { children: ReactNode }) {
  return <p role='status'>{children}</p>;
}

/** Loads data once (and again on `reload()`), keeping the last error. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  // The caller lists what the load depends on, as with useEffect.
  const run = useCallback(load, deps);
  useEffect(() => {
    let live = true;
    run().then(
      (d) => live && (setData(d), setError(null)),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [run, tick]);
  return { data, error, reload: () => setTick((t) => t + 1) };
}

/** Runs an action from a button or form, with busy state and its error. */
export function useAction<A extends unknown[]>(
  action: (...args: A) => Promise<unknown>,
) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (...args: A) => {
    setBusy(true);
    setError(null);
    try {
      await action(...args);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, error };
}

export function formatDate(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}
