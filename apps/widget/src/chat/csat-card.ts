import type { ConversationRating } from '@kefu/protocol';
import type { Translate } from '../i18n.js';
import { element as el } from './element.js';
import { icon } from './icon.js';

export interface CsatCardOptions {
  t: Translate;
  /** The workspace's own question for the visitor's language, if it wrote one. */
  question: string | null;
  /** The rating already given (after a reload, or from another tab). */
  rating: ConversationRating | null;
  /** Sends the rating; rejects with a message to show when it could not be saved. */
  rate(score: number, comment: string): Promise<ConversationRating>;
}

export interface CsatCard {
  element: HTMLElement;
  /** A rating given elsewhere (another tab) arrived. */
  setRating(rating: ConversationRating | null): void;
  relabel(t: Translate): void;
}

const SCORES = [1, 2, 3, 4, 5] as const;
/** Drawn, not emoji: the same faces on every system, in the theme's colours. */
const face = (doc: Document, score: number) => icon(doc, `face${score}` as 'face1');

/**
 * The satisfaction survey at the end of a conversation: five faces as a radio group (arrow keys move,
 * each labelled with its meaning), then an optional comment and a send button; afterwards a thank-you
 * with the chosen face and a way to change it. The card is a form, so it works with the keyboard and a
 * screen reader as any form does.
 */
export function createCsatCard(doc: Document, options: CsatCardOptions): CsatCard {
  let t = options.t;
  let rating = options.rating;
  let chosen: number | null = rating?.score ?? null;
  let editing = rating === null;
  let busy = false;
  const name = `kf-csat-${Math.random().toString(36).slice(2, 8)}`;

  const root = el(doc, 'li', { className: 'kf-csat', 'data-testid': 'csat' });
  const form = el(doc, 'form', { className: 'kf-csat__form', noValidate: true });
  const legend = el(doc, 'legend', { className: 'kf-csat__question' });
  const fieldset = el(doc, 'fieldset', { className: 'kf-csat__scores' }, [legend]);
  const inputs = SCORES.map((score) => {
    const input = el(doc, 'input', { type: 'radio', name, value: String(score), className: 'kf-csat__radio', 'data-testid': `csat-${score}` });
    const label = el(doc, 'span', { className: 'kf-sr' });
    const option = el(doc, 'label', { className: 'kf-csat__option' }, [input, face(doc, score), label]);
    input.addEventListener('change', () => {
      chosen = score;
      render();
    });
    return { input, label, option, score };
  });
  fieldset.append(
    el(
      doc,
      'div',
      { className: 'kf-csat__row' },
      inputs.map((i) => i.option),
    ),
  );
  const commentLabel = el(doc, 'label', { className: 'kf-csat__comment-label', htmlFor: `${name}-comment` });
  const comment = el(doc, 'textarea', { className: 'kf-csat__comment', id: `${name}-comment`, rows: 2, maxLength: 1000, 'data-testid': 'csat-comment' });
  const submit = el(doc, 'button', { type: 'submit', className: 'kf-csat__submit', 'data-testid': 'csat-submit' });
  const error = el(doc, 'p', { className: 'kf-csat__error', role: 'alert', hidden: true });
  const more = el(doc, 'div', { className: 'kf-csat__more' }, [commentLabel, comment, submit]);
  form.append(fieldset, more, error);

  const thanks = el(doc, 'p', { className: 'kf-csat__thanks', role: 'status', 'data-testid': 'csat-thanks' });
  const change = el(doc, 'button', { type: 'button', className: 'kf-csat__change', 'data-testid': 'csat-change' });
  const done = el(doc, 'div', { className: 'kf-csat__done' }, [thanks, change]);
  root.append(form, done);

  change.addEventListener('click', () => {
    editing = true;
    render();
    inputs.find((i) => i.score === chosen)?.input.focus();
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (busy || chosen === null) return;
    busy = true;
    error.hidden = true;
    render();
    options
      .rate(chosen, comment.value)
      .then((r) => {
        rating = r;
        editing = false;
        render();
        thanks.focus();
      })
      .catch((err: unknown) => {
        error.textContent = err instanceof Error && err.message ? err.message : t('csat.failed');
        error.hidden = false;
      })
      .finally(() => {
        busy = false;
        render();
      });
  });

  function render() {
    legend.textContent = options.question?.trim() || t('csat.question');
    for (const i of inputs) {
      i.label.textContent = t('csat.score', { score: i.score, meaning: t(`csat.meaning${i.score}` as Parameters<Translate>[0]) });
      i.input.checked = i.score === chosen;
      i.option.title = t(`csat.meaning${i.score}` as Parameters<Translate>[0]);
    }
    commentLabel.textContent = t('csat.commentLabel');
    comment.placeholder = t('csat.commentPlaceholder');
    submit.textContent = busy ? t('csat.sending') : t('csat.submit');
    submit.disabled = busy || chosen === null;
    more.hidden = chosen === null;
    form.hidden = !editing;
    done.hidden = editing;
    if (rating) {
      thanks.replaceChildren(face(doc, rating.score), ` ${t('csat.thanks')}`);
      thanks.tabIndex = -1;
    }
    change.textContent = t('csat.change');
  }
  render();

  return {
    element: root,
    setRating(next) {
      rating = next;
      if (next && !busy) {
        chosen = next.score;
        comment.value = next.comment ?? '';
        editing = false;
      }
      render();
    },
    relabel(next) {
      t = next;
      render();
    },
  };
}
