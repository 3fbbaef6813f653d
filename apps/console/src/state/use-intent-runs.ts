import type { IntentModelRun } from '@kefu/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client';
import { intentsApi } from '../api/intents';
import { mergeRun } from '../lib/intents';
import { useFrames, useOnReady } from './realtime';
import { useSignedIn } from './session';
import { useLoad } from './use-load';

const POLL_MS = 1000;

export interface IntentRuns {
  runs: IntentModelRun[];
  loading: boolean;
  error: unknown;
  reload(): Promise<void>;
  /** The run in progress, if any. */
  active: IntentModelRun | null;
  serving: IntentModelRun | null;
  /** Starts a run; resolves to it, or to null when the server refused (see `trainError`). */
  train(): Promise<IntentModelRun | null>;
  starting: boolean;
  trainError: unknown;
  clearTrainError(): void;
}

/**
 * The workspace's intent-model training runs, kept live: `intent_model.progressed` frames update them,
 * and while a run is training it is also polled every second, for a socket that is down or reconnecting.
 */
export function useIntentRuns(): IntentRuns {
  const { api } = useSignedIn();
  const loaded = useLoad((signal) => intentsApi.runs(api, signal), [api]);
  const { setData, reload } = loaded;
  const [starting, setStarting] = useState(false);
  const [trainError, setTrainError] = useState<unknown>(null);
  const runs = loaded.data?.items ?? [];
  const active = runs.find((r) => r.status === 'training') ?? null;
  const serving = runs.find((r) => r.serving) ?? null;
  const activeId = active?.id ?? null;

  const apply = useCallback((run: IntentModelRun) => setData((d) => ({ items: mergeRun(d?.items ?? [], run) })), [setData]);

  useFrames((f) => {
    if (f.type === 'intent_model.progressed') apply(f.run);
  });
  // After a reconnect, frames may have been missed.
  useOnReady(() => void reload());

  useEffect(() => {
    if (!activeId) return;
    const ctrl = new AbortController();
    const timer = setInterval(() => {
      intentsApi.run(api, activeId, ctrl.signal).then(apply, () => {});
    }, POLL_MS);
    return () => {
      clearInterval(timer);
      ctrl.abort();
    };
  }, [api, activeId, apply]);

  // When a run ends, the list is read again: which run serves is decided by the server, and a poll that
  // saw the run finish may have come before the new model was installed.
  const wasActive = useRef<string | null>(null);
  useEffect(() => {
    if (wasActive.current && !activeId) void reload();
    wasActive.current = activeId;
  }, [activeId, reload]);

  const train = useCallback(async () => {
    setStarting(true);
    setTrainError(null);
    try {
      const run = await intentsApi.train(api);
      apply(run);
      return run;
    } catch (err) {
      setTrainError(err);
      // Someone else started one: show it.
      if (err instanceof ApiError && err.code === 'INTENT_TRAINING_RUNNING') void reload();
      return null;
    } finally {
      setStarting(false);
    }
  }, [api, apply, reload]);

  const clearTrainError = useCallback(() => setTrainError(null), []);

  return { runs, loading: loaded.loading, error: loaded.error, reload, active, serving, train, starting, trainError, clearTrainError };
}
