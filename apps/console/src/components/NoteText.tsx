import { useMemo } from 'react';
import { useT } from '../i18n/i18n';
import { mentionSegments } from '../lib/composer-triggers';
import { useSignedIn } from '../state/session';
import { useMembers } from '../state/use-member-names';

/** A note's text with its @mentions highlighted (by name, or by e-mail local part as typed); "you" stands out. */
export function NoteText({ text, mentions }: { text: string; mentions: readonly { id: string; name: string }[] }) {
  const t = useT();
  const members = useMembers();
  const { session } = useSignedIn();
  const me = session.member?.id ?? null;
  const segments = useMemo(() => {
    const handles = mentions.flatMap((m) => {
      const email = members.find((x) => x.id === m.id)?.email;
      return [{ memberId: m.id, handle: m.name }, ...(email ? [{ memberId: m.id, handle: email.split('@')[0]! }] : [])];
    });
    return mentionSegments(text, handles);
  }, [text, mentions, members]);
  return (
    <p className="msg-text">
      {segments.map((s, i) =>
        s.memberId ? (
          <mark
            // biome-ignore lint/suspicious/noArrayIndexKey: segments are positional and rebuilt with the text
            key={i}
            className={`mention${s.memberId === me ? ' is-me' : ''}`}
            title={s.memberId === me ? t('mentions.you') : undefined}
            data-member-id={s.memberId}
          >
            {s.text}
          </mark>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: as above
          <span key={i}>{s.text}</span>
        ),
      )}
    </p>
  );
}
