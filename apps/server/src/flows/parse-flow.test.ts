import { describe, expect, it } from 'vitest';
import { FlowParseError, parseFlow } from './parse-flow.js';

const problems = (source: string, actionKeys?: Set<string>) => {
  try {
    parseFlow(source, actionKeys ? { actionKeys } : {});
  } catch (err) {
    if (err instanceof FlowParseError) return err.problems.map((p) => `${p.line}: ${p.message}`);
    throw err;
  }
  return [];
};

describe('parseFlow', () => {
  it('names steps, resolves their order and accepts a complete flow', () => {
    const f = parseFlow(`key: demo
name: Demo
steps:
  - ask: { slot: n, type: number, prompt: How many? }
  - id: check
    branch:
      - { when: "slots.n > 3", goto: many }
      - { else: end }
  - id: many
    say: "{{slots.n}} is many"
`);
    expect(f.stepIds).toEqual(['step-1', 'check', 'many']);
    expect(f.definition.triggers).toEqual({ intents: [], keywords: [] });
  });

  it('reports every problem with its line', () => {
    expect(
      problems(
        `key: Demo Flow
name: Demo
steps:
  - say: hi
    next: nowhere
  - ask: { slot: x, type: regex, pattern: "([", prompt: p }
  - ask: { slot: y, type: choice, prompt: p }
  - bogus: 1
`,
      ),
    ).toEqual([
      '1: key: lower-case letters, digits and _ , starting with a letter',
      '6: steps.1.ask.pattern: not a valid regular expression: Invalid regular expression: /([/u: Unterminated character class',
      '7: steps.2.ask.choices: required for type choice',
      expect.stringMatching(/^8: steps\.3/),
    ]);
  });

  it('checks targets, conditions, placeholders, duplicate ids and actions', () => {
    expect(
      problems(
        `key: demo
name: Demo
steps:
  - id: a
    say: "{{secret.key}}"
  - id: a
    branch:
      - { when: "slots.x ==", goto: b }
  - call: { action: lookup }
`,
        new Set(['other']),
      ),
    ).toEqual([
      '6: steps.1.id: step id "a" is used twice or reserved',
      '5: steps.0.say: {{secret.key}} must start with slots., contact., conversation. or result.',
      '8: steps.1.branch.0.goto: no step with id "b"',
      expect.stringMatching(/^8: steps\.1\.branch\.0\.when: cannot read the condition/),
      '9: steps.2.call.action: no action "lookup" in this workspace',
    ]);
  });

  it('reports YAML syntax errors, and survives empty, huge-alias and non-object documents', () => {
    expect(problems('key: [unclosed')[0]).toMatch(/^1: /);
    expect(problems('')[0]).toMatch(/expected object/i);
    expect(problems('- just\n- a list')[0]).toMatch(/expected object/i);
    const bomb = `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n`;
    expect(problems(bomb)[0]).toMatch(/alias/i);
  });
});
