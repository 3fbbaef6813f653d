import type { FlowProblem } from '@kefu/protocol';
import { useCallback, useState } from 'react';
import { type Flow, flowsApi } from '../api/automation';
import { flowProblemsOf } from '../lib/flow-source';
import { useSignedIn } from './session';

export interface FlowDraft {
  source: string;
  setSource(next: string): void;
  /** The problems of the last check or refused save, and the text they were found in. */
  problems: FlowProblem[];
  checkedFor: string | null;
  /** The key of a source that checked clean (the one in `checkedFor`). */
  checkedKey: string | null;
  busy: 'check' | 'save' | null;
  error: unknown;
  clearError(): void;
  /** Checks the source on the server; resolves to its key when it has no problems, else null. */
  check(): Promise<string | null>;
  /** Runs a save: a refused YAML shows its problems (and nothing is saved); other errors show as a notice. */
  save(write: (source: string) => Promise<Flow>): Promise<Flow | null>;
  /** Starts over from a text (after a save, a restore or a new template), forgetting problems. */
  reset(source: string): void;
}

/** A flow's YAML being edited, with the server's checks. */
export function useFlowDraft(initial: string): FlowDraft {
  const { api } = useSignedIn();
  const [source, setSource] = useState(initial);
  const [problems, setProblems] = useState<FlowProblem[]>([]);
  const [checkedFor, setCheckedFor] = useState<string | null>(null);
  const [checkedKey, setCheckedKey] = useState<string | null>(null);
  const [busy, setBusy] = useState<'check' | 'save' | null>(null);
  const [error, setError] = useState<unknown>(null);

  const failed = useCallback((err: unknown, text: string) => {
    const found = flowProblemsOf(err);
    setCheckedFor(text);
    setCheckedKey(null);
    if (found) {
      setProblems(found);
      setError(null);
    } else {
      setProblems([]);
      setError(err);
    }
  }, []);

  const check = async () => {
    const text = source;
    setBusy('check');
    setError(null);
    try {
      const { key } = await flowsApi.check(api, text);
      setProblems([]);
      setCheckedFor(text);
      setCheckedKey(key);
      return key;
    } catch (err) {
      failed(err, text);
      return null;
    } finally {
      setBusy(null);
    }
  };

  const save = async (write: (text: string) => Promise<Flow>) => {
    const text = source;
    setBusy('save');
    setError(null);
    try {
      const saved = await write(text);
      setProblems([]);
      setCheckedFor(null);
      setCheckedKey(null);
      return saved;
    } catch (err) {
      failed(err, text);
      return null;
    } finally {
      setBusy(null);
    }
  };

  const reset = useCallback((text: string) => {
    setSource(text);
    setProblems([]);
    setCheckedFor(null);
    setCheckedKey(null);
    setError(null);
  }, []);

  return { source, setSource, problems, checkedFor, checkedKey, busy, error, clearError: () => setError(null), check, save, reset };
}
