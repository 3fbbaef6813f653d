import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { displayWidth, flowProblemsOf, lineAt, lineOffset, problemsByLine } from './flow-source';

describe('flowProblemsOf', () => {
  it('reads the line-numbered problems of a refused flow', () => {
    const body = {
      code: 'FLOW_INVALID',
      problems: [
        { message: 'steps.1.ask.slot: Required', line: 12, path: 'steps.1.ask.slot' },
        { message: 'Nested mappings are not allowed', line: null, path: '' },
        'junk',
      ],
    };
    const err = new ApiError(422, 'FLOW_INVALID', 'line 12: …', [], 'r1', body);
    expect(flowProblemsOf(err)).toEqual([
      { message: 'steps.1.ask.slot: Required', line: 12, path: 'steps.1.ask.slot' },
      { message: 'Nested mappings are not allowed', line: null, path: '' },
    ]);
  });

  it('is null for other errors, and keeps the detail when the list is missing', () => {
    expect(flowProblemsOf(new ApiError(409, 'FLOW_KEY_TAKEN'))).toBeNull();
    expect(flowProblemsOf(new Error('x'))).toBeNull();
    expect(flowProblemsOf(new ApiError(422, 'FLOW_INVALID', 'bad'))).toEqual([{ message: 'bad', line: null, path: '' }]);
  });
});

describe('line helpers', () => {
  const source = 'key: a\nname: 退款\n\nsteps: []';

  it('groups problems by line, with line-less ones under 0', () => {
    const m = problemsByLine([
      { message: 'a', line: 2, path: '' },
      { message: 'b', line: null, path: '' },
      { message: 'c', line: 2, path: '' },
    ]);
    expect(m.get(2)?.map((p) => p.message)).toEqual(['a', 'c']);
    expect(m.get(0)?.length).toBe(1);
  });

  it('finds where a line starts and which line an offset is on', () => {
    expect(lineOffset(source, 1)).toBe(0);
    expect(lineOffset(source, 2)).toBe(7);
    expect(source.slice(lineOffset(source, 4))).toBe('steps: []');
    expect(lineOffset(source, 99)).toBe(source.length);
    expect(lineAt(source, 0)).toBe(1);
    expect(lineAt(source, 8)).toBe(2);
    expect(lineAt(source, source.length)).toBe(4);
  });

  it('counts Chinese characters as two columns', () => {
    expect(displayWidth('name: a')).toBe(7);
    expect(displayWidth('name: 退款')).toBe(10);
    expect(displayWidth('，')).toBe(2);
  });
});
