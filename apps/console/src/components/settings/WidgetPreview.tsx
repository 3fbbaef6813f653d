import { type CSSProperties, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { isHexColor, isHttpUrl, PRE_CHAT_FIELDS, textFor, WIDGET_DEFAULTS, type WidgetForm } from '../../lib/widget-form';

const CHAT_ICON = 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2Z';

/**
 * What visitors will see, drawn from the unsaved form: the launcher in its colour and corner (with
 * the logo), and either the open chat (its header in the colour, the pre-chat form when on) or,
 * closed, the proactive greeting beside the launcher. A picture: screen readers get its caption.
 */
export function WidgetPreview({ form, name }: { form: WidgetForm; name: string }) {
  const { t, locale } = useI18n();
  const [open, setOpen] = useState(true);
  const [brokenLogo, setBrokenLogo] = useState<string | null>(null);
  const color = isHexColor(form.color.trim()) ? form.color.trim() : WIDGET_DEFAULTS.color;
  const logoUrl = form.logoUrl.trim();
  const logo = logoUrl && isHttpUrl(logoUrl) && brokenLogo !== logoUrl ? logoUrl : null;
  const greeting = form.proactiveEnabled ? textFor(form.proactiveMessage, locale) : '';
  const intro = textFor(form.preChatIntro, locale);
  const fields = PRE_CHAT_FIELDS.filter((k) => form.fields[k] !== 'off');
  const logoImg = logo ? <img src={logo} alt="" onError={() => setBrokenLogo(logo)} /> : null;
  const icon = (
    <svg viewBox="0 0 24 24" aria-hidden="true">
      <path d={CHAT_ICON} fill="currentColor" />
    </svg>
  );

  return (
    <figure className="widget-preview" data-testid="widget-preview">
      <figcaption className="widget-preview-head">
        <span className="widget-preview-caption">{t('widget.preview.title')}</span>
        <fieldset className="segmented">
          <legend className="sr-only">{t('widget.preview.state')}</legend>
          {([true, false] as const).map((o) => (
            <button key={String(o)} type="button" className={`segment${open === o ? ' is-active' : ''}`} aria-pressed={open === o} onClick={() => setOpen(o)}>
              {t(o ? 'widget.preview.open' : 'widget.preview.closed')}
            </button>
          ))}
        </fieldset>
      </figcaption>
      <div className={`widget-preview-stage is-${form.position}`} style={{ '--widget-color': color } as CSSProperties} aria-hidden="true">
        {open && (
          <div className="widget-preview-panel">
            <div className="widget-preview-header" data-testid="widget-preview-header">
              <span className="widget-preview-avatar">{logoImg ?? icon}</span>
              <span className="widget-preview-name">
                <strong className="widget-preview-title">{name}</strong>
                <span className="widget-preview-status">{t('widget.preview.online')}</span>
              </span>
            </div>
            <div className="widget-preview-body">
              {form.preChatEnabled && fields.length > 0 ? (
                <div className="widget-preview-form">
                  <p>{intro || t('widget.preview.introDefault')}</p>
                  {fields.map((k) => (
                    <span key={k} className="widget-preview-input">
                      {t(`widget.preChat.field.${k}`)}
                      {form.fields[k] === 'required' && <b> *</b>}
                    </span>
                  ))}
                  <span className="widget-preview-button">{t('widget.preview.start')}</span>
                </div>
              ) : (
                <p className="widget-preview-bubble">{t('widget.preview.sample')}</p>
              )}
            </div>
          </div>
        )}
        {!open && greeting && (
          <p className="widget-preview-greeting" data-testid="widget-preview-greeting">
            {greeting}
          </p>
        )}
        <span className="widget-preview-launcher" data-testid="widget-preview-launcher" data-position={form.position}>
          {open ? (
            <svg viewBox="0 0 24 24" aria-hidden="true">
              <path d="M6 6l12 12M18 6 6 18" fill="none" stroke="currentColor" strokeWidth="2.4" strokeLinecap="round" />
            </svg>
          ) : (
            (logoImg ?? icon)
          )}
        </span>
      </div>
    </figure>
  );
}
