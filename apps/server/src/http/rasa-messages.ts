import { type Locale, type MessagePart, MessageText, WellFormedText } from '@kefu/protocol';
import { z } from 'zod';
import type { TurnSummary } from '../usecases/channel-threads.js';

// Rasa's wire formats (rasa/core/channels/rest.py and socketio.py, and what rasa-webchat renders). They
// live here rather than in @kefu/protocol: no kefu app speaks them, only other products' clients.

/** A Rasa sender / session id: any client-chosen string; it names one kefu conversation. */
export const RasaSender = WellFormedText.pipe(z.string().trim().min(1, 'must not be empty').max(200));

/** `POST /webhooks/rest/webhook`. Unknown fields (`input_channel`…) are ignored, as Rasa does. */
export const RasaRestBody = z.object({
  sender: RasaSender,
  message: MessageText,
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type RasaRestBody = z.infer<typeof RasaRestBody>;

const RasaButton = z.object({ title: z.string(), payload: z.string(), url: z.string().optional(), type: z.string().optional() });

/** One element of the REST answer: text (with buttons), or an image, or another attachment. */
export const RasaRestMessage = z.object({
  recipient_id: z.string(),
  text: z.string().optional(),
  buttons: z.array(RasaButton).optional(),
  image: z.string().optional(),
  attachment: z.unknown().optional(),
});
export type RasaRestMessage = z.infer<typeof RasaRestMessage>;

const LanguageHint = z.looseObject({ language: z.unknown().optional(), locale: z.unknown().optional() });

/**
 * socket.io `session_request`: rasa-webchat sends `{session_id}`; older clients send nothing. A client
 * may name its language as rasa-webchat's `customData` does (`{language: 'en'}`), or in `metadata`.
 */
export const RasaSessionRequest = z
  .object({ session_id: RasaSender.nullish(), customData: LanguageHint.nullish(), metadata: LanguageHint.nullish() })
  .nullish();
export type RasaSessionRequest = z.infer<typeof RasaSessionRequest>;

/**
 * The client's locale, from the first hint that names a supported language (a language tag, or an
 * Accept-Language list), as the widget picks one from the browser's languages: Traditional Chinese by
 * script or region (zh-Hant, TW, HK, MO), any other Chinese Simplified; English when nothing matches.
 */
export function rasaLocale(hints: readonly unknown[]): Locale {
  for (const hint of hints) {
    if (typeof hint !== 'string') continue;
    for (const part of hint.split(',')) {
      const tag = part.split(';')[0]!.trim().toLowerCase().replaceAll('_', '-');
      if (tag === 'zh' || tag.startsWith('zh-')) return /^zh-(hant|tw|hk|mo)\b/.test(tag) ? 'zh-TW' : 'zh-CN';
      if (tag === 'en' || tag.startsWith('en-')) return 'en';
    }
  }
  return 'en';
}

/** socket.io `user_uttered`. `customData` / `metadata` are accepted and ignored. */
export const RasaUserUttered = z.object({ message: MessageText, session_id: RasaSender.nullish() });

export interface RasaQuickReply {
  content_type: 'text';
  title: string;
  payload: string;
  type?: 'web_url';
  url?: string;
}

/** socket.io `bot_uttered`, as rasa-webchat renders it. */
export type RasaBotUttered =
  | { text: string; quick_replies?: RasaQuickReply[] }
  | { attachment: { type: 'image'; payload: { src: string } } }
  | { attachment: { type: 'file'; payload: { src: string; name: string; mimeType: string } } };

type Reply = Pick<TurnSummary['replies'][number], 'text' | 'parts'>;

/** kefu replies as the REST channel answers them: text with its buttons, then images and files as their own elements. */
export function rasaRestMessages(recipientId: string, replies: readonly Reply[]): RasaRestMessage[] {
  return replies.flatMap((r) =>
    botUtterances(r).map((u): RasaRestMessage => {
      if ('text' in u) {
        const buttons = u.quick_replies?.map((q) => ({ title: q.title, payload: q.payload, ...(q.url ? { type: 'web_url', url: q.url } : {}) }));
        return { recipient_id: recipientId, text: u.text, ...(buttons?.length ? { buttons } : {}) };
      }
      if (u.attachment.type === 'image') return { recipient_id: recipientId, image: u.attachment.payload.src };
      return { recipient_id: recipientId, attachment: u.attachment };
    }),
  );
}

/**
 * kefu replies as `bot_uttered` events: text with quick replies (kefu's quick replies and buttons both
 * become Rasa quick replies; a link button is one with `type: 'web_url'`), images as image attachments.
 * Sources are not sent: Rasa has no place for them.
 */
export function rasaBotUtterances(replies: readonly Reply[]): RasaBotUttered[] {
  return replies.flatMap(botUtterances);
}

function botUtterances(r: Reply): RasaBotUttered[] {
  const quick: RasaQuickReply[] = [];
  const media: RasaBotUttered[] = [];
  const texts: string[] = r.text.trim() ? [r.text] : [];
  for (const p of r.parts) {
    if (p.type === 'quick_replies') for (const o of p.options) quick.push({ content_type: 'text', title: o.label, payload: o.value || o.label });
    else if (p.type === 'buttons') quick.push(...p.buttons.map(button));
    else if (p.type === 'card') {
      texts.push([p.title, p.text].filter(Boolean).join('\n'));
      if (p.url) texts.push(p.url);
      if (p.imageUrl) media.push(image(p.imageUrl));
      quick.push(...(p.buttons ?? []).map(button));
    } else if (p.type === 'attachment') {
      media.push(
        p.mimeType.startsWith('image/') ? image(p.url) : { attachment: { type: 'file', payload: { src: p.url, name: p.name, mimeType: p.mimeType } } },
      );
    }
  }
  const text = texts.join('\n\n');
  const first: RasaBotUttered[] = text || quick.length ? [{ text, ...(quick.length ? { quick_replies: quick } : {}) }] : [];
  return [...first, ...media];
}

function button(b: Extract<MessagePart, { type: 'buttons' }>['buttons'][number]): RasaQuickReply {
  if (b.url && !b.value) return { content_type: 'text', type: 'web_url', title: b.label, payload: b.url, url: b.url };
  return { content_type: 'text', title: b.label, payload: b.value ?? b.label };
}

function image(src: string): RasaBotUttered {
  return { attachment: { type: 'image', payload: { src } } };
}
