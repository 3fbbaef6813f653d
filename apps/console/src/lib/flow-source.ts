import type { FlowProblem } from '@kefu/protocol';
import { ApiError } from '../api/client';

/** The line-numbered problems of a flow the server refused (FLOW_INVALID), or null for any other error. */
export function flowProblemsOf(err: unknown): FlowProblem[] | null {
  if (!(err instanceof ApiError) || err.code !== 'FLOW_INVALID') return null;
  const raw = (err.body as { problems?: unknown } | undefined)?.problems;
  if (!Array.isArray(raw)) return [{ message: err.detail ?? err.code, line: null, path: '' }];
  return raw.flatMap((p: unknown) => {
    if (!p || typeof p !== 'object') return [];
    const { message, line, path } = p as Record<string, unknown>;
    if (typeof message !== 'string') return [];
    return [{ message, line: typeof line === 'number' && line >= 1 ? line : null, path: typeof path === 'string' ? path : '' }];
  });
}

/** Problems by line (1-based); those without a line are under 0. */
export function problemsByLine(problems: readonly FlowProblem[]): Map<number, FlowProblem[]> {
  const out = new Map<number, FlowProblem[]>();
  for (const p of problems) {
    const line = p.line ?? 0;
    out.set(line, [...(out.get(line) ?? []), p]);
  }
  return out;
}

/**
 * How many monospace columns a line takes: CJK, full-width forms and emoji take two, a tab two
 * (the editor's tab size). Used to place a problem's message right after its line's text.
 */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\t') w += 2;
    else if (cp < 0x20 || (cp >= 0x300 && cp < 0x370)) continue;
    else w += isWide(cp) ? 2 : 1;
  }
  return w;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** The character offset where a line (1-based) starts, for putting the caret on it; past the end: the end. */
export function lineOffset(source: string, line: number): number {
  let offset = 0;
  for (let n = 1; n < line; n++) {
    const next = source.indexOf('\n', offset);
    if (next === -1) return source.length;
    offset = next + 1;
  }
  return offset;
}

/** The 1-based line the offset is on. */
export function lineAt(source: string, offset: number): number {
  let line = 1;
  for (let i = source.indexOf('\n'); i !== -1 && i < offset; i = source.indexOf('\n', i + 1)) line++;
  return line;
}
