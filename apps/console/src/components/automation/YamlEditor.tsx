import type { FlowProblem } from '@kefu/protocol';
import { forwardRef, useImperativeHandle, useLayoutEffect, useMemo, useRef } from 'react';
import { useT } from '../../i18n/i18n';
import { displayWidth, lineOffset, problemsByLine } from '../../lib/flow-source';

/** Must match `.yaml-editor` line-height in styles.css. */
const LINE_H = 20;

export interface YamlEditorHandle {
  /** Puts the caret at the start of the line, selects the line and scrolls it into view. */
  goToLine(line: number): void;
  /** Scrolls the line into view (a few lines below the top) without moving the caret or the focus. */
  reveal(line: number): void;
}

/**
 * A plain textarea for YAML with line numbers, lines that do not wrap (so that a line number is a
 * line on screen), and the checked problems beside their lines: a mark in the gutter, the line
 * tinted, and the message after the end of the line's text.
 */
export const YamlEditor = forwardRef<
  YamlEditorHandle,
  {
    id: string;
    value: string;
    onChange?(next: string): void;
    readOnly?: boolean;
    problems: readonly FlowProblem[];
    describedBy?: string;
    label: string;
  }
>(function YamlEditor({ id, value, onChange, readOnly, problems, describedBy, label }, ref) {
  const t = useT();
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const backdrop = useRef<HTMLDivElement>(null);
  const lines = useMemo(() => value.split('\n'), [value]);
  const byLine = useMemo(() => problemsByLine(problems), [problems]);

  const sync = () => {
    const a = area.current;
    if (!a) return;
    if (gutter.current) gutter.current.style.transform = `translateY(${-a.scrollTop}px)`;
    if (backdrop.current) backdrop.current.style.transform = `translate(${-a.scrollLeft}px, ${-a.scrollTop}px)`;
  };
  // The text may have changed under a scrolled editor (a restore, a template): keep the layers aligned.
  // biome-ignore lint/correctness/useExhaustiveDependencies: value is what moves the text
  useLayoutEffect(sync, [value]);

  useImperativeHandle(ref, () => ({
    goToLine(line: number) {
      const a = area.current;
      if (!a) return;
      const start = lineOffset(value, line);
      const end = value.indexOf('\n', start);
      a.focus();
      a.setSelectionRange(start, end === -1 ? value.length : end);
      a.scrollTop = Math.max(0, (line - 4) * LINE_H);
      sync();
    },
    reveal(line: number) {
      const a = area.current;
      if (!a) return;
      const top = (line - 1) * LINE_H;
      if (top >= a.scrollTop && top + LINE_H <= a.scrollTop + a.clientHeight - 16) return;
      a.scrollTop = Math.max(0, top - 3 * LINE_H);
      sync();
    },
  }));

  return (
    <div className={`yaml-editor${readOnly ? ' is-readonly' : ''}`} data-testid="yaml-editor">
      <div className="yaml-gutter" aria-hidden="true">
        <div ref={gutter}>
          {lines.map((_, i) => {
            const n = i + 1;
            const here = byLine.get(n);
            return (
              <div key={n} className={`yaml-lineno${here ? ' has-problem' : ''}`} data-line={n} title={here?.map((p) => p.message).join('\n')}>
                {here && <span className="yaml-mark">!</span>}
                {n}
              </div>
            );
          })}
        </div>
      </div>
      <div className="yaml-code">
        <div className="yaml-backdrop" aria-hidden="true">
          <div ref={backdrop}>
            {[...byLine.entries()]
              .filter(([n]) => n > 0 && n <= lines.length)
              .map(([n, list]) => (
                <div key={n} className="yaml-problem-line" style={{ top: (n - 1) * LINE_H }} data-line={n}>
                  <span className="yaml-problem-msg" style={{ marginLeft: `${displayWidth(lines[n - 1] ?? '') + 3}ch` }}>
                    {list.map((p) => p.message).join(' · ')}
                  </span>
                </div>
              ))}
          </div>
        </div>
        <textarea
          ref={area}
          id={id}
          className="yaml-input"
          value={value}
          onChange={(e) => onChange?.(e.target.value)}
          onScroll={sync}
          readOnly={readOnly}
          wrap="off"
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          aria-label={label}
          aria-invalid={problems.length > 0 || undefined}
          aria-describedby={describedBy}
          rows={Math.min(32, Math.max(12, lines.length + 1))}
          placeholder={readOnly ? undefined : t('flows.editor.placeholder')}
          data-testid="flow-yaml"
        />
      </div>
    </div>
  );
});
