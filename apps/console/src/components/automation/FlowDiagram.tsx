import { useMemo, useState } from 'react';
import type { FlowDefinition } from '../../api/automation';
import { useI18n } from '../../i18n/i18n';
import { DIAGRAM, type DiagramEdge, type DiagramNode, type DiagramRow, laneX, layoutFlow } from '../../lib/flow-diagram';
import { localizedText } from '../../lib/localized-text';

const { nodeWidth: NODE_W, headerHeight: HEADER_H, rowHeight: ROW_H, gap: GAP, startHeight: START_H } = DIAGRAM;
const CORNER = 6;

/**
 * A flow drawn as boxes and arrows: one box per step in YAML order (its kind, id and what it does),
 * straight arrows where a step goes on to the one below, and routed arrows from the row that jumps
 * (a branch condition, `next`, `onFail`, `onError`) to the step it jumps to. Pointing at a box
 * highlights the arrows into and out of it.
 */
export function FlowDiagram({ definition }: { definition: FlowDefinition }) {
  const { t } = useI18n();
  const layout = useMemo(() => layoutFlow(definition), [definition]);
  const [hover, setHover] = useState<number | null>(null);
  const cx = NODE_W / 2;

  return (
    <div className="flow-diagram-scroll">
      <div className="flow-diagram" style={{ width: layout.width, height: layout.height }} data-testid="flow-diagram">
        <svg className="flow-edges" width={layout.width} height={layout.height} aria-hidden="true">
          <defs>
            {['seq', 'goto', 'else', 'next', 'fail'].map((k) => (
              <marker
                key={k}
                id={`flow-arrow-${k}`}
                className={`flow-arrow is-${k}`}
                viewBox="0 0 8 8"
                refX="7"
                refY="4"
                markerWidth="7"
                markerHeight="7"
                orient="auto-start-reverse"
              >
                <path d="M0 0.5 8 4 0 7.5z" />
              </marker>
            ))}
          </defs>
          {layout.nodes.length > 0 && <line className="flow-seq" x1={cx} y1={START_H} x2={cx} y2={layout.nodes[0]!.top - 2} markerEnd="url(#flow-arrow-seq)" />}
          {layout.nodes.map((n) => {
            const below = layout.nodes[n.index + 1];
            if (!n.fallsThrough || !below) return null;
            return <line key={`seq-${n.id}`} className="flow-seq" x1={cx} y1={n.top + n.height} x2={cx} y2={below.top - 2} markerEnd="url(#flow-arrow-seq)" />;
          })}
          {layout.edges.map((e) => (
            <path
              key={`${e.from}-${e.row}`}
              className={`flow-edge is-${edgeClass(e.kind)}${hover !== null && (e.from === hover || e.to === hover) ? ' is-lit' : ''}`}
              d={edgePath(e)}
              markerEnd={`url(#flow-arrow-${edgeClass(e.kind)})`}
              data-from={layout.nodes[e.from]!.id}
              data-to={layout.nodes[e.to]!.id}
            />
          ))}
        </svg>
        <span className="flow-start" style={{ left: cx, height: START_H }}>
          {t('flows.diagram.start')}
        </span>
        <ol className="flow-nodes" aria-label={t('flows.diagram.label')}>
          {layout.nodes.map((n) => (
            <StepBox key={n.id} node={n} onHover={setHover} />
          ))}
        </ol>
        {layout.nodes.map((n) =>
          n.kind === 'branch' && n.fallsThrough ? (
            <span key={`gap-${n.id}`} className="flow-gap-label" style={{ top: n.top + n.height + GAP / 2, left: cx }}>
              {t('flows.edge.noMatch')}
            </span>
          ) : null,
        )}
      </div>
    </div>
  );
}

function StepBox({ node: n, onHover }: { node: DiagramNode; onHover(index: number | null): void }) {
  const { t } = useI18n();
  return (
    <li
      className={`flow-node kind-${n.kind}`}
      style={{ top: n.top, height: n.height, width: NODE_W }}
      data-step={n.id}
      data-kind={n.kind}
      onMouseEnter={() => onHover(n.index)}
      onMouseLeave={() => onHover(null)}
    >
      <div className="flow-node-head" style={{ height: HEADER_H }}>
        <span className="flow-node-kind">{t(`flows.step.${n.kind}`)}</span>
        <span className={`flow-node-id${n.named ? '' : ' is-generated'}`}>{n.id}</span>
      </div>
      {n.rows.map((row, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a box's rows are derived from the step and fixed in place; the place is the identity
        <div key={i} className={`flow-row is-${row.type}`} style={{ height: ROW_H }}>
          <RowContent row={row} />
        </div>
      ))}
    </li>
  );
}

function RowContent({ row }: { row: DiagramRow }) {
  const { t, locale } = useI18n();
  switch (row.type) {
    case 'text': {
      const text = localizedText(row.text, locale);
      return (
        <span className="flow-row-text" title={text}>
          “{text}”
        </span>
      );
    }
    case 'slot':
      return (
        <span className="flow-row-line" title={row.detail ?? undefined}>
          <span className="flow-row-label">{t('flows.row.slot')}</span>
          <code>{row.slot}</code>
          <span className="flow-type" data-type={row.slotType}>
            {t(`flows.slotType.${row.slotType as SlotType}`)}
          </span>
          {row.detail && <code className="flow-row-detail">{row.detail}</code>}
        </span>
      );
    case 'action':
      return (
        <span className="flow-row-line" title={row.args ?? undefined}>
          <span className="flow-row-label">{t('flows.row.action')}</span>
          <code className="flow-action">{row.action}</code>
          {row.args && <span className="muted flow-row-detail">({row.args})</span>}
          {row.save && (
            <>
              <span className="flow-row-label">{t('flows.row.save')}</span>
              <code>{row.save}</code>
            </>
          )}
        </span>
      );
    case 'assign':
      return (
        <span className="flow-row-line" title={`${row.slot} = ${row.value}`}>
          <code>{row.slot}</code>
          <span className="muted">=</span>
          <code className="flow-row-detail">{row.value}</code>
        </span>
      );
    case 'handoff':
      return (
        <span className="flow-row-line" title={row.note ?? undefined}>
          <span className="flow-row-label">{t('flows.row.reason')}</span>
          <code>{row.reason}</code>
          {row.note && <span className="muted flow-row-detail">{row.note}</span>}
        </span>
      );
    case 'silent':
      return <span className="muted">{t('flows.row.silent')}</span>;
    case 'edge':
      return <EdgeRow row={row} />;
  }
}

type SlotType = 'text' | 'entity' | 'regex' | 'choice' | 'number' | 'yes_no';

function EdgeRow({ row }: { row: Extract<DiagramRow, { type: 'edge' }> }) {
  const { t } = useI18n();
  const label =
    row.edge === 'goto'
      ? t('flows.edge.when')
      : row.edge === 'else'
        ? t('flows.edge.else')
        : row.edge === 'onFail'
          ? t('flows.edge.onFail')
          : row.edge === 'onError'
            ? t('flows.edge.onError')
            : row.implicit
              ? t('flows.edge.last')
              : t('flows.edge.next');
  const terminal = row.target === 'handoff' || row.target === 'end';
  return (
    <span className={`flow-row-line flow-edge-row is-${edgeClass(row.edge)}`} title={row.when}>
      <span className="flow-row-label">{label}</span>
      {row.when && <code className="flow-cond">{row.when}</code>}
      <span className="flow-row-arrow" aria-hidden="true">
        →
      </span>
      {terminal ? (
        <span className={`flow-terminal is-${row.target}`}>{t(row.target === 'handoff' ? 'flows.target.handoff' : 'flows.target.end')}</span>
      ) : (
        <code className="flow-target">{row.target}</code>
      )}
    </span>
  );
}

const edgeClass = (kind: DiagramEdge['kind']) => (kind === 'onFail' || kind === 'onError' ? 'fail' : kind);

/** Right from the row, along the lane, and left into the target's header, with rounded corners. */
function edgePath(e: DiagramEdge): string {
  const x = laneX(e.lane);
  const down = e.toY > e.fromY ? 1 : -1;
  const r = Math.min(CORNER, Math.abs(e.toY - e.fromY) / 2);
  return [
    `M ${NODE_W} ${e.fromY}`,
    `H ${x - r}`,
    `Q ${x} ${e.fromY} ${x} ${e.fromY + down * r}`,
    `V ${e.toY - down * r}`,
    `Q ${x} ${e.toY} ${x - r} ${e.toY}`,
    `H ${NODE_W + 3}`,
  ].join(' ');
}
