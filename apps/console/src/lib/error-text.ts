import type { FieldError } from '@kefu/protocol';
import { ApiError } from '../api/client';
import type { MessageKey, Translate } from '../i18n/i18n';

export interface ErrorText {
  message: string;
  /** The server's own explanation, shown under the translated message when it adds something. */
  detail: string | null;
  fields: FieldError[];
  requestId: string | null;
  code: string;
}

/** Turns any thrown value into text for people: the catalogue's words for known codes, else the detail. */
export function errorText(err: unknown, t: Translate, has: (key: string) => key is MessageKey): ErrorText {
  if (err instanceof ApiError) {
    const key = `error.${err.code}`;
    const known = has(key);
    return {
      code: err.code,
      message: known ? t(key) : t('error.generic', { code: err.code }),
      detail: err.detail && err.code !== 'NETWORK' ? err.detail : null,
      fields: err.errors,
      requestId: err.requestId ?? null,
    };
  }
  const detail = err instanceof Error ? err.message : String(err);
  return { code: 'CLIENT', message: t('error.generic', { code: 'CLIENT' }), detail, fields: [], requestId: null };
}
