import type { FlowStep } from '@kefu/protocol';
import { describe, expect, it } from 'vitest';
import { assignLanes, type DiagramEdge, layoutFlow } from './flow-diagram';

const ask = (id: string, slot: string, extra: Partial<Extract<FlowStep, { ask: unknown }>['ask']> = {}): FlowStep => ({
  id,
  ask: { slot, type: 'text', prompt: { 'zh-CN': '请问？', en: 'Which?' }, attempts: 3, onFail: 'handoff', always: false, ...extra },
});

// The shape of the demo's order-status flow: ask → call → branch → says → end, with an error branch.
const steps: FlowStep[] = [
  ask('ask_order', 'order_no', { type: 'entity', entity: 'order_number' }),
  { id: 'lookup', call: { action: 'get_order', with: { order_no: '{{slots.order_no}}' }, save: 'order', onError: 'lookup_failed' } },
  {
    branch: [{ when: "slots.order.status == 'shipped'", goto: 'shipped' }, { else: 'other' }],
  },
  { id: 'shipped', say: 'Shipped.', next: 'done' },
  { id: 'other', say: { en: 'Status: {{slots.order.status}}' } },
  { id: 'done', end: { en: 'Anything else?' } },
  { id: 'lookup_failed', handoff: { reason: 'order_system_unavailable' } },
];

describe('layoutFlow', () => {
  const layout = layoutFlow({ steps });

  it('draws one box per step in YAML order, with generated ids for unnamed steps', () => {
    expect(layout.nodes.map((n) => [n.id, n.kind])).toEqual([
      ['ask_order', 'ask'],
      ['lookup', 'call'],
      ['step-3', 'branch'],
      ['shipped', 'say'],
      ['other', 'say'],
      ['done', 'end'],
      ['lookup_failed', 'handoff'],
    ]);
    expect(layout.nodes[2]!.named).toBe(false);
    for (let i = 1; i < layout.nodes.length; i++) expect(layout.nodes[i]!.top).toBeGreaterThan(layout.nodes[i - 1]!.top + layout.nodes[i - 1]!.height);
  });

  it('shows the slot type, the action key and the failure edges', () => {
    const [askNode, callNode] = layout.nodes;
    expect(askNode!.rows).toContainEqual({ type: 'slot', slot: 'order_no', slotType: 'entity', detail: 'order_number', attempts: 3 });
    expect(askNode!.rows).toContainEqual({ type: 'edge', edge: 'onFail', target: 'handoff' });
    expect(callNode!.rows).toContainEqual({ type: 'action', action: 'get_order', args: 'order_no', save: 'order' });
    expect(layout.edges).toContainEqual(expect.objectContaining({ from: 1, to: 6, kind: 'onError' }));
  });

  it('keeps straight arrows for steps that go on to the next one, and edges for jumps with their condition', () => {
    expect(layout.nodes.map((n) => n.fallsThrough)).toEqual([true, true, false, false, true, false, false]);
    const branch = layout.nodes[2]!;
    expect(branch.rows).toEqual([
      { type: 'edge', edge: 'goto', target: 'shipped', when: "slots.order.status == 'shipped'" },
      { type: 'edge', edge: 'else', target: 'other' },
    ]);
    expect(layout.edges.filter((e) => e.from === 2).map((e) => [e.kind, e.to])).toEqual([
      ['goto', 3],
      ['else', 4],
    ]);
    // `next: done` skips a step: an edge from the say step's own row.
    const shipped = layout.nodes[3]!;
    expect(shipped.rows.at(-1)).toEqual({ type: 'edge', edge: 'next', target: 'done', implicit: false });
    expect(layout.edges).toContainEqual(expect.objectContaining({ from: 3, to: 5, kind: 'next' }));
  });

  it('ends a flow that runs off its last step, and a handoff or end goes nowhere', () => {
    const { nodes } = layoutFlow({ steps: [{ say: 'Hi' }, { id: 'h', handoff: { reason: 'flow' } }] });
    expect(nodes[0]!.fallsThrough).toBe(true);
    expect(nodes[1]!.rows.some((r) => r.type === 'edge')).toBe(false);
    const tail = layoutFlow({ steps: [{ say: 'Hi' }] }).nodes[0]!;
    expect(tail.rows.at(-1)).toEqual({ type: 'edge', edge: 'next', target: 'end', implicit: true });
  });

  it('sends edges whose spans overlap into different lanes, and loops back upwards', () => {
    const loop = layoutFlow({ steps: [ask('a', 'x'), { say: 'b' }, { set: { x: null }, next: 'a' }] });
    const back = loop.edges.find((e) => e.kind === 'next')!;
    expect(back.to).toBe(0);
    expect(back.toY).toBeLessThan(back.fromY);
    expect(loop.nodes[2]!.rows[0]).toEqual({ type: 'assign', slot: 'x', value: 'null' });
    const lanes = new Set(layout.edges.map((e) => e.lane));
    expect(lanes.size).toBe(layout.laneCount);
    expect(layout.width).toBeGreaterThan(460);
  });
});

describe('assignLanes', () => {
  const edge = (fromY: number, toY: number): DiagramEdge => ({ from: 0, row: 0, to: 1, kind: 'goto', fromY, toY, lane: -1 });

  it('puts the shorter of two overlapping edges inside, and reuses a lane when spans are apart', () => {
    const long = edge(0, 500);
    const short = edge(100, 200);
    const apart = edge(600, 700);
    expect(assignLanes([long, short, apart])).toBe(2);
    expect(short.lane).toBe(0);
    expect(long.lane).toBe(1);
    expect(apart.lane).toBe(0);
  });
});
