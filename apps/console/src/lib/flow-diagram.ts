import type { FlowDefinition, FlowStep, LocalizedText } from '@kefu/protocol';

/**
 * Lays out a flow as a column of step boxes in YAML order. A step that goes on to the step below it
 * gets a straight arrow; every other edge (a `goto`, an `else`, a `next` elsewhere, `onFail`,
 * `onError`) leaves from its own row on the box's right edge and runs in a lane to the right of the
 * column to the target's header. Lanes are handed out so that edges whose spans overlap never share
 * one. `handoff` and `end` targets end in the row itself (drawn as a pill, not an arrow).
 *
 * Geometry is fixed (box rows have one height), so the component can draw the boxes as HTML and the
 * edges as one SVG from the same numbers.
 */
export function layoutFlow(definition: Pick<FlowDefinition, 'steps'>): FlowLayout {
  const steps = definition.steps;
  const ids = steps.map((s, i) => s.id ?? `step-${i + 1}`);
  const indexOf = new Map(ids.map((id, i) => [id, i]));

  let top = START_H + GAP;
  const nodes: DiagramNode[] = steps.map((step, index) => {
    const { kind, rows, continues } = describeStep(step, index, ids);
    const node: DiagramNode = { index, id: ids[index]!, named: step.id !== undefined, kind, rows, top, height: nodeHeight(rows.length), fallsThrough: false };
    // Going on to the step right below is drawn as the column's straight arrow, not as a row.
    const following = ids[index + 1];
    if (continues !== null) {
      if (following !== undefined && continues.target === following) node.fallsThrough = true;
      else node.rows.push({ type: 'edge', edge: continues.edge, target: continues.target ?? 'end', implicit: continues.target === undefined });
      node.height = nodeHeight(node.rows.length);
    }
    top += node.height + GAP;
    return node;
  });

  const jumps: DiagramEdge[] = [];
  for (const node of nodes) {
    node.rows.forEach((row, r) => {
      if (row.type !== 'edge') return;
      const to = indexOf.get(row.target);
      if (to === undefined) return;
      const target = nodes[to]!;
      jumps.push({ from: node.index, row: r, to, kind: row.edge, fromY: portY(node, r), toY: target.top + HEADER_H / 2, lane: 0 });
    });
  }
  const laneCount = assignLanes(jumps);
  const width = NODE_W + (laneCount > 0 ? LANE_X0 + laneCount * LANE_GAP : 0) + 12;
  return { nodes, edges: jumps, laneCount, width, height: Math.max(top, START_H + GAP) };
}

export type StepKind = 'say' | 'ask' | 'call' | 'branch' | 'set' | 'handoff' | 'end';
export type EdgeKind = 'next' | 'goto' | 'else' | 'onFail' | 'onError';

export type DiagramRow =
  | { type: 'text'; text: LocalizedText }
  | { type: 'slot'; slot: string; slotType: string; detail: string | null; attempts: number }
  | { type: 'action'; action: string; args: string | null; save: string | null }
  | { type: 'assign'; slot: string; value: string }
  | { type: 'handoff'; reason: string; note: string | null }
  | { type: 'silent' }
  | {
      type: 'edge';
      edge: EdgeKind;
      /** A step id, `handoff` or `end`. */
      target: string;
      /** For a branch case. */
      when?: string;
      /** The flow runs off its last step: it ends without an `end` step. */
      implicit?: boolean;
    };

export interface DiagramNode {
  index: number;
  id: string;
  /** Whether the YAML names the step (otherwise its id is the generated `step-<n>`). */
  named: boolean;
  kind: StepKind;
  rows: DiagramRow[];
  top: number;
  height: number;
  /** Goes on to the step drawn right below it. */
  fallsThrough: boolean;
}

export interface DiagramEdge {
  from: number;
  /** The row of the source box the edge leaves from. */
  row: number;
  to: number;
  kind: EdgeKind;
  fromY: number;
  toY: number;
  lane: number;
}

export interface FlowLayout {
  nodes: DiagramNode[];
  edges: DiagramEdge[];
  laneCount: number;
  width: number;
  height: number;
}

export const DIAGRAM = {
  nodeWidth: 460,
  headerHeight: 30,
  rowHeight: 22,
  padding: 8,
  gap: 30,
  startHeight: 26,
  laneX0: 22,
  laneGap: 14,
} as const;

const {
  nodeWidth: NODE_W,
  headerHeight: HEADER_H,
  rowHeight: ROW_H,
  padding: PAD,
  gap: GAP,
  startHeight: START_H,
  laneX0: LANE_X0,
  laneGap: LANE_GAP,
} = DIAGRAM;

const nodeHeight = (rows: number) => HEADER_H + rows * ROW_H + PAD;

/** The y of the middle of a box's row. */
export const portY = (node: Pick<DiagramNode, 'top'>, row: number) => node.top + HEADER_H + row * ROW_H + ROW_H / 2;

/** The x of a lane's vertical segment. */
export const laneX = (lane: number) => NODE_W + LANE_X0 + lane * LANE_GAP;

/**
 * Gives each edge the innermost lane free over its whole span; shorter edges go first so that they
 * stay close to the boxes and long ones run outside them. Returns the number of lanes used.
 */
export function assignLanes(edges: DiagramEdge[]): number {
  const taken: { lo: number; hi: number }[][] = [];
  const bySpan = [...edges].sort((a, b) => Math.abs(a.toY - a.fromY) - Math.abs(b.toY - b.fromY) || a.fromY - b.fromY);
  for (const e of bySpan) {
    const lo = Math.min(e.fromY, e.toY) - 4;
    const hi = Math.max(e.fromY, e.toY) + 4;
    let lane = 0;
    while (taken[lane]?.some((s) => s.lo < hi && lo < s.hi)) lane++;
    (taken[lane] ??= []).push({ lo, hi });
    e.lane = lane;
  }
  return taken.length;
}

interface Described {
  kind: StepKind;
  rows: DiagramRow[];
  /** Where the step goes when it is done; `target` undefined: off the end of the flow. Null: it does not go on. */
  continues: { edge: EdgeKind; target: string | undefined } | null;
}

function describeStep(step: FlowStep, index: number, ids: readonly string[]): Described {
  const then = { edge: 'next' as const, target: step.next ?? ids[index + 1] };
  if ('say' in step) return { kind: 'say', rows: [{ type: 'text', text: step.say }], continues: then };
  if ('ask' in step) {
    const a = step.ask;
    const detail =
      a.type === 'entity'
        ? (a.entity ?? null)
        : a.type === 'regex'
          ? (a.pattern ?? null)
          : a.type === 'choice'
            ? (a.choices ?? []).map((c) => c.value).join(' | ')
            : null;
    return {
      kind: 'ask',
      rows: [
        { type: 'slot', slot: a.slot, slotType: a.type ?? 'text', detail, attempts: a.attempts ?? 3 },
        { type: 'text', text: a.prompt },
        { type: 'edge', edge: 'onFail', target: a.onFail ?? 'handoff' },
      ],
      continues: then,
    };
  }
  if ('call' in step) {
    const c = step.call;
    const args = c.with ? Object.keys(c.with).join(', ') : null;
    return {
      kind: 'call',
      rows: [
        { type: 'action', action: c.action, args: args || null, save: c.save ?? null },
        { type: 'edge', edge: 'onError', target: c.onError ?? 'handoff' },
      ],
      continues: then,
    };
  }
  if ('branch' in step) {
    const rows: DiagramRow[] = step.branch.map((c) =>
      'when' in c ? { type: 'edge', edge: 'goto', target: c.goto, when: c.when } : { type: 'edge', edge: 'else', target: c.else },
    );
    const hasElse = step.branch.some((c) => 'else' in c);
    return { kind: 'branch', rows, continues: hasElse ? null : then };
  }
  if ('set' in step) {
    const rows: DiagramRow[] = Object.entries(step.set).map(([slot, value]) => ({
      type: 'assign',
      slot,
      value: value === null ? 'null' : JSON.stringify(value),
    }));
    return { kind: 'set', rows, continues: then };
  }
  if ('handoff' in step) {
    const h = step.handoff;
    const rows: DiagramRow[] = [{ type: 'handoff', reason: h.reason ?? 'flow', note: h.note ?? null }];
    if (h.message) rows.push({ type: 'text', text: h.message });
    return { kind: 'handoff', rows, continues: null };
  }
  return { kind: 'end', rows: [step.end === null ? { type: 'silent' } : { type: 'text', text: step.end }], continues: null };
}
