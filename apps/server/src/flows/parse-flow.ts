import { FlowDefinition, type FlowProblem, type FlowStep } from '@kefu/protocol';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { templatePaths } from '../engine/render-template.js';
import { BUILTIN_ACTIONS } from './builtin-actions.js';
import { compileCondition } from './flow-conditions.js';

/** A flow checked and ready to run: its steps with ids, and where each step goes next. */
export interface ParsedFlow {
  definition: FlowDefinition;
  /** Step ids in order (steps without an id get `step-<n>`, 1-based). */
  stepIds: string[];
  /** The step for each id. */
  steps: ReadonlyMap<string, FlowStep>;
}

export class FlowParseError extends Error {
  override name = 'FlowParseError';
  constructor(readonly problems: FlowProblem[]) {
    super(problems.map((p) => (p.line ? `line ${p.line}: ${p.message}` : p.message)).join('; '));
  }
}

/** Targets that are not step ids. */
export const SPECIAL_TARGETS = new Set(['handoff', 'end']);
const SCOPE_ROOTS = new Set(['slots', 'contact', 'conversation', 'result']);
const MAX_PROBLEMS = 50;

/**
 * Reads a flow's YAML and checks it: the schema (every problem with its line), step ids unique, every
 * `next`/`goto`/`onFail`/`onError` pointing at a step (or `handoff`/`end`), conditions that compile,
 * placeholders that name `slots.`, `contact.`, `conversation.` or `result.`, and actions that exist
 * (`actionKeys`: the workspace's actions; built-ins are always known). Throws `FlowParseError`.
 */
export function parseFlow(source: string, opts: { actionKeys?: ReadonlySet<string> } = {}): ParsedFlow {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number | undefined) => (offset === undefined ? null : lineCounter.linePos(offset).line);
  if (doc.errors.length > 0) {
    throw new FlowParseError(doc.errors.slice(0, MAX_PROBLEMS).map((e) => ({ message: e.message.split('\n')[0]!, line: lineAt(e.pos[0]), path: '' })));
  }
  const lineOf = (path: readonly (string | number)[]): number | null => {
    // The deepest node that exists on the path: a missing key is reported at its parent.
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return lineAt(node.range[0]);
    }
    return null;
  };

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // Aliases expanding beyond reason (a "billion laughs" document).
    throw new FlowParseError([{ message: (err as Error).message, line: null, path: '' }]);
  }
  const parsed = FlowDefinition.safeParse(raw);
  if (!parsed.success) {
    throw new FlowParseError(
      parsed.error.issues.slice(0, MAX_PROBLEMS).map((i) => {
        const path = i.path.filter((p): p is string | number => typeof p !== 'symbol');
        return { message: path.length ? `${path.join('.')}: ${i.message}` : i.message, line: lineOf(path), path: path.join('.') };
      }),
    );
  }
  const definition = parsed.data;
  const problems: FlowProblem[] = [];
  const problem = (path: (string | number)[], message: string) =>
    problems.push({ message: `${path.join('.')}: ${message}`, line: lineOf(path), path: path.join('.') });

  const stepIds = definition.steps.map((s, i) => s.id ?? `step-${i + 1}`);
  const steps = new Map<string, FlowStep>();
  definition.steps.forEach((s, i) => {
    const id = stepIds[i]!;
    if (steps.has(id) || SPECIAL_TARGETS.has(id)) problem(['steps', i, 'id'], `step id "${id}" is used twice or reserved`);
    steps.set(id, s);
  });
  const checkTarget = (path: (string | number)[], target: string | undefined) => {
    if (target !== undefined && !SPECIAL_TARGETS.has(target) && !steps.has(target)) problem(path, `no step with id "${target}"`);
  };
  const checkTemplates = (path: (string | number)[], value: unknown) => {
    for (const text of strings(value)) {
      for (const p of templatePaths(text)) {
        if (!SCOPE_ROOTS.has(p.split('.')[0]!)) problem(path, `{{${p}}} must start with slots., contact., conversation. or result.`);
      }
    }
  };

  definition.steps.forEach((s, i) => {
    const at = ['steps', i];
    checkTarget([...at, 'next'], s.next);
    if ('say' in s) checkTemplates([...at, 'say'], s.say);
    if ('end' in s) checkTemplates([...at, 'end'], s.end);
    if ('ask' in s) {
      checkTarget([...at, 'ask', 'onFail'], s.ask.onFail);
      checkTemplates([...at, 'ask', 'prompt'], s.ask.prompt);
    }
    if ('call' in s) {
      checkTarget([...at, 'call', 'onError'], s.call.onError);
      checkTemplates([...at, 'call', 'with'], s.call.with);
      const known = BUILTIN_ACTIONS.has(s.call.action) || (opts.actionKeys?.has(s.call.action) ?? true);
      if (!known) problem([...at, 'call', 'action'], `no action "${s.call.action}" in this workspace`);
    }
    if ('set' in s) checkTemplates([...at, 'set'], s.set);
    if ('branch' in s) {
      s.branch.forEach((c, j) => {
        if ('goto' in c) {
          checkTarget([...at, 'branch', j, 'goto'], c.goto);
          try {
            compileCondition(c.when);
          } catch (err) {
            problem([...at, 'branch', j, 'when'], `cannot read the condition: ${(err as Error).message}`);
          }
        } else checkTarget([...at, 'branch', j, 'else'], c.else);
      });
    }
  });
  if (problems.length > 0) throw new FlowParseError(problems.slice(0, MAX_PROBLEMS));
  return { definition, stepIds, steps };
}

function* strings(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const v of value) yield* strings(v);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) yield* strings(v);
}
