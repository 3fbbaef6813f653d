import { useT } from '../../i18n/i18n';

export interface Example {
  text: string;
  /** The text's language, for the `lang` attribute (fonts, screen readers). */
  lang: string;
  kind: 'zh-CN' | 'zh-TW' | 'en' | 'code';
}

/** "Try:" followed by clickable example messages, each labelled with what kind of query it is. */
export function ExampleChips({ examples, onPick }: { examples: readonly Example[]; onPick: (text: string) => void }) {
  const t = useT();
  return (
    <div className="test-examples">
      <span className="muted small">{t('kb.test.examples')}</span>
      <ul>
        {examples.map((ex) => (
          <li key={ex.text}>
            <button type="button" className="example-chip" lang={ex.lang} onClick={() => onPick(ex.text)}>
              <span className="example-kind">{t(`kb.test.example.${ex.kind}`)}</span>
              {ex.text}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
