import { useMemo, useState } from 'react';
import type { FlowVersion } from '../../api/automation';
import { useI18n } from '../../i18n/i18n';
import { formatFull, formatRelative } from '../../lib/format';
import { diffLines } from '../../lib/text-diff';
import type { Loaded } from '../../state/use-load';
import { useMemberNames } from '../../state/use-member-names';
import { ErrorNotice } from '../ErrorNotice';

/** Lines kept around each change in a version's diff. */
const CONTEXT = 2;

/** Every saved version of the flow, newest first; each opens to its lines changed against the one before. */
export function FlowVersions(props: {
  versions: Loaded<{ items: FlowVersion[] }>;
  currentVersion: number;
  canEdit: boolean;
  onRestore(version: number): Promise<void>;
  restoring: number | null;
}) {
  const { t, locale } = useI18n();
  const names = useMemberNames();
  const items = useMemo(() => [...(props.versions.data?.items ?? [])].sort((a, b) => b.version - a.version), [props.versions.data]);
  const [open, setOpen] = useState<number | null>(props.currentVersion);

  return (
    <section className="kb-card faq-history flow-versions" aria-labelledby="flow-versions-title" data-testid="flow-versions">
      <div className="kb-card-head">
        <h2 id="flow-versions-title" className="kb-card-title">
          {t('kb.history.title')}
        </h2>
        {items.length > 0 && <span className="muted small">{t('kb.history.count', { count: items.length })}</span>}
      </div>
      {props.versions.error ? <ErrorNotice error={props.versions.error} compact onDismiss={() => void props.versions.reload()} /> : null}
      {props.versions.loading && items.length === 0 && <p className="muted small">{t('kb.history.loading')}</p>}
      <ol className="versions">
        {items.map((v, i) => {
          const isOpen = open === v.version;
          const current = v.version === props.currentVersion;
          const author = v.authorId ? (names.get(v.authorId) ?? t('kb.history.member', { id: v.authorId.slice(-6) })) : t('kb.history.system');
          const bodyId = `flow-version-${v.version}`;
          return (
            <li key={v.version} className={`version${isOpen ? ' is-open' : ''}${current ? ' is-current' : ''}`} data-version={v.version}>
              <button type="button" className="version-head" aria-expanded={isOpen} aria-controls={bodyId} onClick={() => setOpen(isOpen ? null : v.version)}>
                <span className="version-dot" aria-hidden="true" />
                <span className="version-line">
                  <span className="version-num">{t('kb.version', { version: v.version })}</span>
                  {current && <span className="version-current">{t('kb.history.current')}</span>}
                </span>
                <span className="version-meta">
                  <time dateTime={v.createdAt} title={formatFull(v.createdAt, locale)}>
                    {formatRelative(v.createdAt, locale)}
                  </time>
                  {' · '}
                  {author}
                </span>
              </button>
              {isOpen && (
                <div className="version-body" id={bodyId}>
                  <LineDiff before={items[i + 1]?.source ?? null} after={v.source} />
                  {props.canEdit && !current && (
                    <button
                      type="button"
                      className="btn btn-small version-restore"
                      onClick={() => void props.onRestore(v.version)}
                      disabled={props.restoring !== null}
                      data-testid={`flow-restore-${v.version}`}
                    >
                      {props.restoring === v.version ? t('kb.history.restoring') : t('kb.history.restore')}
                    </button>
                  )}
                </div>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** The lines a version changed, with a little context; the first version is shown whole. */
function LineDiff({ before, after }: { before: string | null; after: string }) {
  const { t } = useI18n();
  const lines = useMemo(() => (before === null ? after.split('\n').map((line) => ({ op: 'same' as const, line })) : diffLines(before, after)), [before, after]);
  if (before !== null && lines.every((l) => l.op === 'same')) return <p className="muted small">{t('kb.history.noDiff')}</p>;
  const near = (i: number) => before === null || lines.slice(Math.max(0, i - CONTEXT), i + CONTEXT + 1).some((l) => l.op !== 'same');
  const shown: ({ op: string; line: string } | null)[] = [];
  lines.forEach((l, i) => {
    if (near(i)) shown.push(l);
    else if (shown.at(-1) !== null) shown.push(null);
  });
  return (
    <pre className="flow-diff" data-testid="flow-diff">
      {shown.map((l, i) =>
        l === null ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: gaps have no identity but their place
          <span key={`gap-${i}`} className="flow-diff-gap">
            ⋯
          </span>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines repeat; the place is the identity
          <span key={i} className={`flow-diff-line is-${l.op}`}>
            <span className="flow-diff-sign" aria-hidden="true">
              {l.op === 'added' ? '+' : l.op === 'removed' ? '−' : ' '}
            </span>
            <span className="sr-only">{l.op === 'added' ? t('kb.diff.added') : l.op === 'removed' ? t('kb.diff.removed') : ''}</span>
            {l.line || ' '}
          </span>
        ),
      )}
    </pre>
  );
}
