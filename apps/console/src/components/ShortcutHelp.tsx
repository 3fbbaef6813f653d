import { useEffect, useId, useRef } from 'react';
import { useT } from '../i18n/i18n';
import { SHORTCUTS } from '../lib/shortcuts';

interface Props {
  open: boolean;
  onToggle(open: boolean): void;
}

/** The `?` button and the list of keyboard shortcuts it opens; Esc or a click elsewhere closes it. */
export function ShortcutHelp({ open, onToggle }: Props) {
  const t = useT();
  const id = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) onToggle(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      onToggle(false);
      button.current?.focus();
    };
    document.addEventListener('pointerdown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open, onToggle]);

  return (
    <div className="shortcut-help" ref={root}>
      <button
        ref={button}
        type="button"
        className="btn-icon shortcut-button"
        aria-expanded={open}
        aria-controls={id}
        aria-label={t('shortcuts.title')}
        title={`${t('shortcuts.title')} (?)`}
        onClick={() => onToggle(!open)}
        data-testid="shortcut-help"
      >
        ?
      </button>
      {open && (
        <div className="popover shortcut-popover" id={id} role="dialog" aria-labelledby={`${id}-title`}>
          <h3 id={`${id}-title`} className="popover-title">
            {t('shortcuts.title')}
          </h3>
          <dl className="shortcut-list">
            {SHORTCUTS.map((s) => (
              <div key={s.action}>
                <dt>
                  <kbd>{s.key}</kbd>
                </dt>
                <dd>{t(`shortcuts.${s.action}`)}</dd>
              </div>
            ))}
            <div>
              <dt>
                <kbd>Esc</kbd>
              </dt>
              <dd>{t('shortcuts.escape')}</dd>
            </div>
          </dl>
          <p className="muted small">{t('shortcuts.hint')}</p>
        </div>
      )}
    </div>
  );
}
