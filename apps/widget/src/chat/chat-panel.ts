import type { Conversation, ConversationStatus, Message, MessagePart, WidgetConfig } from '@kefu/protocol';
import { errorKey, type Locale, type Translate, translator } from '../i18n.js';
import { type AttachmentLimits, acceptAttribute, formatBytes, isImageType, typeLabels } from './attachment-check.js';
import type { ChatEvent, ChatItem, ChatSession, ErrorAction } from './chat-session.js';
import { type CsatCard, createCsatCard } from './csat-card.js';
import { element as el } from './element.js';
import { icon } from './icon.js';
import { createPreChatForm, type PreChatForm } from './pre-chat-form.js';
import type { ProblemError } from './problem-error.js';
import { renderRichText } from './rich-text.js';

export interface ChatPanelOptions {
  session: ChatSession;
  locale: Locale;
  /** The workspace's name; the catalogue's generic title until it is known. */
  title?: string;
}

export interface ChatPanel {
  readonly element: HTMLElement;
  setLocale(locale: Locale): void;
  setTitle(title: string): void;
  /** Sends `text` as if typed, e.g. from a suggestion outside the panel. */
  ask(text: string): void;
  focus(): void;
  destroy(): void;
}

interface Entry {
  key: string;
  sortKey: string;
  el: HTMLElement;
  item: ChatItem | null;
  /** For notices: the conversation as it was when the notice was added. */
  notice: Conversation | null;
}

/** Thumbnails are at most this tall (px); kept in step with .kf-image__img in chat-panel.css. */
const IMAGE_MAX_HEIGHT = 240;
/** How close to the bottom (px) still counts as "reading the latest", so new messages scroll into view. */
const STICKY_SCROLL_PX = 96;
/** A reconnect this quick is not worth a banner. */
const RECONNECT_BANNER_DELAY_MS = 1_500;

/**
 * The chat UI: header with status, the message log, typing indicator, errors and the composer. It
 * renders ChatSession events and turns clicks and keys into session calls; it never calls the server.
 * Framework-free so the same panel can live in the demo page now and in the widget iframe later.
 */
export function createChatPanel(doc: Document, options: ChatPanelOptions): ChatPanel {
  const { session } = options;
  let locale = options.locale;
  let t: Translate = translator(locale);
  let title = options.title ?? null;
  let conversation: Conversation | null = null;
  let thinking = false;
  let starting = false;
  let agentTyping: { name: string | null } | null = null;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let pendingSeq = 0;
  let noticeSeq = 0;
  let currentError: { error: ProblemError; action: ErrorAction | null; file: string | undefined } | null = null;
  let limits: AttachmentLimits | null = session.attachmentLimits;
  /** Nested dragenter/dragleave pairs while a file is dragged over the panel. */
  let dragDepth = 0;
  /** Whether the visitor is reading the newest messages; kept from scroll events, not measured per insert. */
  let followLatest = true;
  const entries: Entry[] = [];
  const translations: Array<() => void> = [];
  const uid = `kf-${Math.random().toString(36).slice(2, 8)}`;

  /** Registers text that follows the locale and sets it now. */
  const translated = (apply: () => void) => {
    translations.push(apply);
    apply();
  };

  // ── Structure ────────────────────────────────────────────────────────────────────────────────
  const root = el(doc, 'section', { className: 'kf-chat', 'aria-labelledby': `${uid}-title` });

  const header = el(doc, 'header', { className: 'kf-chat__header' });
  const avatar = el(doc, 'span', { className: 'kf-chat__avatar', 'aria-hidden': 'true' }, [icon(doc, 'cloud')]);
  const titleEl = el(doc, 'h2', { className: 'kf-chat__title', id: `${uid}-title` });
  const statusEl = el(doc, 'p', { className: 'kf-chat__status', 'data-testid': 'chat-status' });
  const statusLabel = el(doc, 'span', { className: 'kf-sr' });
  const statusText = el(doc, 'span', { className: 'kf-chat__status-text' });
  statusEl.append(el(doc, 'span', { className: 'kf-chat__status-dot', 'aria-hidden': 'true' }), statusLabel, statusText);
  const heading = el(doc, 'div', { className: 'kf-chat__heading' }, [titleEl, statusEl]);
  const newButton = el(doc, 'button', { type: 'button', className: 'kf-button kf-button--ghost', 'data-testid': 'new-conversation' });
  const newButtonText = el(doc, 'span', { className: 'kf-button__text' });
  newButton.append(icon(doc, 'plus'), newButtonText);
  header.append(avatar, heading, newButton);

  const connectionEl = el(doc, 'p', { className: 'kf-chat__connection', role: 'status', hidden: true });

  const scroller = el(doc, 'div', { className: 'kf-chat__scroll' });
  const log = el(doc, 'ol', { className: 'kf-log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'data-testid': 'chat-log' });
  const indicator = el(doc, 'div', { className: 'kf-typing', role: 'status', 'data-testid': 'typing' });
  const indicatorDots = el(doc, 'span', { className: 'kf-typing__dots', 'aria-hidden': 'true', hidden: true }, [
    el(doc, 'span'),
    el(doc, 'span'),
    el(doc, 'span'),
  ]);
  const indicatorText = el(doc, 'span', { className: 'kf-typing__text' });
  indicator.append(indicatorDots, indicatorText);
  scroller.append(log, indicator);
  scroller.addEventListener(
    'scroll',
    () => {
      followLatest = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < STICKY_SCROLL_PX;
    },
    { passive: true },
  );

  const errorEl = el(doc, 'div', { className: 'kf-error', role: 'alert', 'data-testid': 'chat-error' });

  const form = el(doc, 'form', { className: 'kf-composer', noValidate: true });
  const inputLabel = el(doc, 'label', { className: 'kf-sr', htmlFor: `${uid}-input` });
  const input = el(doc, 'textarea', { className: 'kf-composer__input', id: `${uid}-input`, rows: 1, 'aria-describedby': `${uid}-hint` });
  input.setAttribute('enterkeyhint', 'send');
  const sendButton = el(doc, 'button', { type: 'submit', className: 'kf-composer__send' });
  const sendText = el(doc, 'span', { className: 'kf-sr' });
  sendButton.append(icon(doc, 'send'), sendText);
  // Files: the paperclip opens the picker; pasting or dropping onto the panel works too.
  const attachButton = el(doc, 'button', { type: 'button', className: 'kf-composer__attach', hidden: true, 'data-testid': 'attach' }, [icon(doc, 'paperclip')]);
  const fileInput = el(doc, 'input', { type: 'file', multiple: true, hidden: true, tabIndex: -1, 'data-testid': 'attach-input' });
  const hint = el(doc, 'p', { className: 'kf-composer__hint', id: `${uid}-hint` });
  // The visitor can end the chat themselves (then the survey is offered); writing again reopens it.
  const endButton = el(doc, 'button', { type: 'button', className: 'kf-composer__end', hidden: true, 'data-testid': 'end-conversation' });
  form.append(
    inputLabel,
    el(doc, 'div', { className: 'kf-composer__row' }, [attachButton, fileInput, input, sendButton]),
    el(doc, 'div', { className: 'kf-composer__foot' }, [hint, endButton]),
  );
  const dropZone = el(doc, 'div', { className: 'kf-drop', 'aria-hidden': 'true', hidden: true });

  root.append(header, connectionEl, scroller, errorEl, form, dropZone);

  translated(() => {
    titleEl.textContent = title ?? t('chat.title');
    statusLabel.textContent = `${t('chat.statusLabel')}: `;
    newButtonText.textContent = t('chat.newConversation');
    newButton.setAttribute('aria-label', t('chat.newConversationLabel'));
    newButton.title = t('chat.newConversationLabel');
    log.setAttribute('aria-label', t('chat.logLabel'));
    inputLabel.textContent = t('chat.inputLabel');
    input.placeholder = t('chat.placeholder');
    sendText.textContent = t('chat.send');
    sendButton.title = t('chat.send');
    hint.textContent = t('chat.hint');
    endButton.textContent = t('chat.end');
    endButton.title = t('chat.endLabel');
    endButton.setAttribute('aria-label', t('chat.endLabel'));
    connectionEl.textContent = t('chat.reconnecting');
    attachButton.setAttribute('aria-label', t('chat.attach'));
    attachButton.title = t('chat.attach');
    dropZone.textContent = t('chat.dropHere');
    root.lang = locale;
  });
  renderAttach();
  renderStatus();
  renderIndicator();
  renderError();

  // ── Input ────────────────────────────────────────────────────────────────────────────────────
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  input.addEventListener('keydown', (event) => {
    // Enter while an IME is composing (pinyin, zhuyin) picks a candidate; it must not send.
    if (event.key !== 'Enter' || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    submit();
  });
  input.addEventListener('input', () => {
    autosize();
    if (input.value.trim()) session.composing();
  });
  newButton.addEventListener('click', () => {
    void session.start();
    input.focus();
  });
  endButton.addEventListener('click', () => {
    void session.end();
  });
  log.addEventListener('click', (event) => {
    const target = (event.target as Element).closest('button[data-send], button[data-retry], button[data-cancel]');
    if (!(target instanceof HTMLButtonElement)) return;
    if (target.dataset.cancel) session.cancelUpload(target.dataset.cancel);
    else if (target.dataset.retry) void session.retry(target.dataset.retry);
    else if (target.dataset.send) send(target.dataset.send);
  });

  attachButton.addEventListener('click', () => fileInput.click());
  fileInput.addEventListener('change', () => {
    sendFiles(fileInput.files);
    // The same file can be chosen again (after a failure, or on purpose).
    fileInput.value = '';
  });
  input.addEventListener('paste', (event) => {
    const files = event.clipboardData?.files;
    if (!limits || !files?.length) return;
    // A pasted screenshot is sent; pasted text goes into the field as usual.
    event.preventDefault();
    sendFiles(files);
  });
  const hasFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false;
  const canDrop = () => limits !== null && !starting;
  root.addEventListener('dragenter', (event) => {
    if (!hasFiles(event) || !canDrop()) return;
    event.preventDefault();
    dragDepth++;
    dropZone.hidden = false;
  });
  root.addEventListener('dragover', (event) => {
    if (!hasFiles(event)) return;
    // Also when files are off: a file dropped here must not replace the chat with itself.
    event.preventDefault();
    event.dataTransfer!.dropEffect = canDrop() ? 'copy' : 'none';
  });
  root.addEventListener('dragleave', () => {
    dragDepth = Math.max(0, dragDepth - 1);
    if (dragDepth === 0) dropZone.hidden = true;
  });
  root.addEventListener('drop', (event) => {
    dragDepth = 0;
    dropZone.hidden = true;
    if (!hasFiles(event)) return;
    event.preventDefault();
    if (canDrop()) sendFiles(event.dataTransfer!.files);
  });

  function sendFiles(files: FileList | null) {
    if (files?.length && !starting) session.sendFiles([...files]);
  }

  function submit() {
    const text = input.value;
    if (!text.trim() || starting) return;
    input.value = '';
    autosize();
    send(text);
  }

  function send(text: string) {
    void session.send(text).then((result) => {
      // Refused by the server: put the text back for editing unless the visitor typed something new.
      if (!result.sent && result.draft && !input.value) {
        input.value = result.draft;
        autosize();
      }
    });
  }

  function autosize() {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, 160)}px`;
  }

  // ── Session events ───────────────────────────────────────────────────────────────────────────
  const unsubscribe = session.on(onEvent);

  function onEvent(event: ChatEvent) {
    switch (event.type) {
      case 'reset':
        for (const entry of entries) entry.el.remove();
        entries.length = 0;
        survey = null;
        followLatest = true;
        conversation = null;
        thinking = false;
        agentTyping = null;
        currentError = null;
        renderStatus();
        renderIndicator();
        renderError();
        break;
      case 'starting':
        starting = event.on;
        log.setAttribute('aria-busy', String(event.on));
        renderIndicator();
        renderStatus();
        break;
      case 'item':
        upsertItem(event.item);
        if (endButton.hidden && event.item.message.author.type === 'contact') renderEnd();
        break;
      case 'item-removed':
        removeEntry(event.key);
        markLatest();
        break;
      case 'status':
        onStatus(event.conversation, event.previous, event.restored);
        break;
      case 'thinking':
        thinking = event.on;
        renderIndicator();
        break;
      case 'agent-typing':
        agentTyping = event.on ? { name: event.name } : null;
        renderIndicator();
        break;
      case 'error':
        currentError = { error: event.error, action: event.action, file: event.file };
        renderError();
        break;
      case 'attachments':
        limits = event.limits;
        renderAttach();
        break;
      case 'config':
        config = event.config;
        if (conversation) renderSurvey(conversation);
        break;
      case 'prechat':
        renderPreChat(event.form);
        break;
      case 'upload-progress': {
        const bar = entries.find((e) => e.key === event.key)?.el.querySelector('progress');
        if (bar) bar.value = event.fraction;
        break;
      }
      case 'error-cleared':
        if (currentError) {
          currentError = null;
          renderError();
        }
        break;
      case 'connection':
        onConnection(event.state);
        break;
    }
  }

  function onStatus(next: Conversation, previous: ConversationStatus | null, restored: boolean) {
    const assigneeBefore = conversation?.assignee?.id ?? null;
    conversation = next;
    root.dataset.status = next.status;
    renderStatus();
    renderSurvey(next);
    const at = next.updatedAt;
    if (restored) {
      // After a reload, say once where things stand; the transitions themselves were not kept.
      if (next.status !== 'bot') addNotice(next, at);
      return;
    }
    if (previous === null) return;
    const assigneeChanged = next.status === 'assigned' && next.assignee?.id !== assigneeBefore;
    if (previous !== next.status || assigneeChanged) {
      if (next.status === 'bot' && previous !== 'queued' && previous !== 'assigned') return; // reopened
      addNotice(next, at);
    }
  }

  // ── Satisfaction survey and pre-chat form ───────────────────────────────────────────────────────
  let config: WidgetConfig | null = session.widgetConfig;
  let survey: { card: CsatCard; conversationId: string } | null = null;
  let preChat: PreChatForm | null = null;

  /** The survey card follows the conversation's end: shown once it is resolved or closed, kept once rated. */
  function renderSurvey(c: Conversation) {
    const ended = c.status === 'resolved' || c.status === 'closed';
    if (survey && survey.conversationId !== c.id) {
      removeEntry('csat');
      survey = null;
    }
    if (survey) {
      if (c.rating) survey.card.setRating(c.rating);
      else if (!ended) {
        // Reopened before it was rated: the question is for the next ending.
        removeEntry('csat');
        survey = null;
      }
      return;
    }
    if (!ended || !config?.csat?.enabled) return;
    const card = createCsatCard(doc, {
      t,
      question: surveyQuestion(),
      rating: c.rating ?? null,
      rate: (score, comment) =>
        session.rate(score, comment).catch((err: unknown) => {
          const code = (err as ProblemError).code;
          const key = code ? errorKey(code) : null;
          throw new Error(key ? t(key) : t('csat.failed'));
        }),
    });
    survey = { card, conversationId: c.id };
    insertEntry({ key: 'csat', sortKey: `${c.updatedAt}|z|csat`, el: card.element, item: null, notice: null });
    if (followLatest) scrollToBottom();
  }

  function surveyQuestion(): string | null {
    return config?.csat?.question[locale]?.trim() || null;
  }

  /** Before the first message, when the workspace asks for details: the form instead of the composer. */
  function renderPreChat(fields: NonNullable<WidgetConfig['preChat']> | null) {
    preChat?.element.remove();
    preChat = null;
    form.hidden = fields !== null;
    if (!fields) return;
    preChat = createPreChatForm(doc, {
      t,
      fields: fields.fields,
      intro: fields.intro[locale]?.trim() || null,
      submit: (details) => session.submitDetails(details),
    });
    scroller.prepend(preChat.element);
    preChat.focus();
  }

  function addNotice(c: Conversation, at: string) {
    const seq = noticeSeq++;
    // The server stamps an agent's first reply and the assignment with the same instant; "joined" reads
    // before what the agent said, every other notice after the message that caused it.
    const rank = c.status === 'assigned' ? 'a' : 'n';
    insertEntry({ key: `n:${seq}`, sortKey: `${at}|${rank}|${String(seq).padStart(6, '0')}`, el: renderNotice(c), item: null, notice: c });
    if (followLatest) scrollToBottom();
  }

  function renderNotice(c: Conversation): HTMLElement {
    return el(doc, 'li', { className: `kf-notice kf-notice--${c.status}${starting ? ' kf-instant' : ''}`, 'data-testid': `notice-${c.status}` }, [
      noticeText(c),
    ]);
  }

  function noticeText(c: Conversation): string {
    switch (c.status) {
      case 'queued':
        return t('notice.queued');
      case 'assigned':
        return c.assignee?.name ? t('notice.assigned', { name: c.assignee.name }) : t('notice.assignedAnonymous');
      case 'resolved':
        return t('notice.resolved');
      case 'closed':
        return t('notice.closed');
      default:
        return t('notice.released');
    }
  }

  function onConnection(state: string) {
    if (reconnectTimer) clearTimeout(reconnectTimer);
    reconnectTimer = null;
    if (state === 'reconnecting') {
      reconnectTimer = setTimeout(() => {
        connectionEl.hidden = false;
      }, RECONNECT_BANNER_DELAY_MS);
    } else connectionEl.hidden = true;
  }

  // ── Rendering ────────────────────────────────────────────────────────────────────────────────
  function upsertItem(item: ChatItem) {
    const existing = entries.find((e) => e.key === item.key);
    // Pending messages sort last, in the order sent; an answer being streamed after them (it answers one).
    const pending = item.message.id.startsWith('local:') ? '\uffff' : item.state === 'streaming' ? '\uffff\uffff' : null;
    const sortKey = pending
      ? existing?.sortKey.startsWith(pending)
        ? existing.sortKey
        : `${pending}${String(pendingSeq++).padStart(6, '0')}`
      : `${item.message.createdAt}|m|${item.message.id}`;
    const own = item.message.author.type === 'contact';
    if (existing?.item && item.state === 'streaming' && existing.item.state === 'streaming') {
      // The answer grows: only its text is redrawn, the entry stays (busy, so it is read once, when done).
      existing.item = item;
      existing.el.querySelector('.kf-msg__bubble')?.replaceChildren(renderRichText(doc, item.message.text));
      reposition(existing, sortKey);
    } else if (existing?.item && sameContent(existing.item.message, item.message)) {
      // Only the delivery state changed: patch in place, so the live region does not read it again.
      existing.item = item;
      patchState(existing.el, item);
      reposition(existing, sortKey);
    } else {
      insertEntry({ key: item.key, sortKey, el: renderItem(item), item, notice: null });
    }
    markLatest();
    if (own || followLatest) scrollToBottom();
  }

  function renderItem(item: ChatItem): HTMLElement {
    const m = item.message;
    const type = m.author.type;
    // History loaded on start or restore appears at once; only new messages animate in.
    const li = el(doc, 'li', { className: `kf-msg kf-msg--${type}${starting ? ' kf-instant' : ''}` });
    li.dataset.key = item.key;
    li.dataset.author = type;
    li.dataset.testid = 'message';
    const name = authorName(m);
    li.append(el(doc, 'span', { className: 'kf-sr' }, [t('chat.said', { name })]));
    if (type === 'agent') li.append(el(doc, 'p', { className: 'kf-msg__author', 'aria-hidden': 'true' }, [name]));

    const bubble = el(doc, 'div', { className: 'kf-msg__bubble' });
    // What the visitor typed is shown as typed; only answers get the Markdown-lite treatment.
    if (!m.text) {
      // A file without a caption: an image stands on its own, without the bubble around it.
      const only = m.parts.length === 1 ? m.parts[0] : undefined;
      if (only?.type === 'attachment' && isImageType(only.mimeType)) bubble.classList.add('kf-msg__bubble--media');
    } else if (type === 'contact') bubble.append(el(doc, 'p', { className: 'kf-msg__plain' }, [m.text]));
    else bubble.append(renderRichText(doc, m.text));
    const local = m.id.startsWith('local:');
    for (const part of m.parts) {
      const rendered = part.type === 'attachment' ? renderAttachment(part, local) : renderPart(part);
      if (rendered) (part.type === 'card' || part.type === 'attachment' ? bubble : li).append(rendered);
    }
    // Sources sit directly under the bubble, chips after them.
    const sources = li.querySelector('.kf-sources');
    li.insertBefore(bubble, sources ?? li.querySelector('.kf-chips, .kf-actions'));
    li.append(renderUpload(item), renderMeta(item), renderFailure(item));
    applyState(li, item);
    return li;
  }

  /**
   * A file in a message: an image as a thumbnail (its space reserved from its size) that opens full size
   * in a new tab; any other file as a chip with its name and size that downloads it. A file still being
   * sent shows from the visitor's own copy.
   */
  function renderAttachment(part: Extract<MessagePart, { type: 'attachment' }>, local: boolean): HTMLElement | null {
    const href = local ? part.url || null : safeUrl(part.url);
    if (isImageType(part.mimeType) && href) {
      const img = el(doc, 'img', { className: 'kf-image__img', src: href, alt: part.name, loading: 'lazy', decoding: 'async' });
      if (part.width && part.height) {
        img.width = part.width;
        img.height = part.height;
        img.style.aspectRatio = `${part.width} / ${part.height}`;
        img.style.width = `min(100%, ${part.width}px, ${Math.round((IMAGE_MAX_HEIGHT * part.width) / part.height)}px)`;
      }
      img.addEventListener('load', () => {
        if (followLatest) scrollToBottom();
      });
      if (local) return el(doc, 'span', { className: 'kf-image' }, [img]);
      return el(
        doc,
        'a',
        { className: 'kf-image', href, target: '_blank', rel: 'noopener noreferrer', 'aria-label': t('chat.openImage', { name: part.name }) },
        [img],
      );
    }
    // A long name is cut short on screen; the tooltip has all of it.
    const children = [icon(doc, 'file'), el(doc, 'span', { className: 'kf-file__name', title: part.name }, [part.name])];
    if (part.size !== undefined) children.push(el(doc, 'span', { className: 'kf-file__size' }, [formatBytes(part.size, locale)]));
    if (local || !href) return el(doc, 'span', { className: 'kf-file' }, children);
    return el(doc, 'a', { className: 'kf-file', href, download: part.name, target: '_blank', rel: 'noopener noreferrer' }, children);
  }

  /** Progress and a way to stop, while a file of the visitor's is on its way (or failed to get there). */
  function renderUpload(item: ChatItem): HTMLElement {
    const row = el(doc, 'div', { className: 'kf-upload', hidden: true });
    const file = item.message.id.startsWith('local:') ? item.message.parts.find((p) => p.type === 'attachment') : undefined;
    if (!file || (item.state !== 'sending' && item.state !== 'failed')) return row;
    row.hidden = false;
    if (item.state === 'sending') {
      const bar = el(doc, 'progress', { className: 'kf-upload__bar', max: 1, value: 0, 'aria-label': t('chat.uploading', { name: file.name }) });
      row.append(bar);
    }
    const cancel = el(
      doc,
      'button',
      { type: 'button', className: 'kf-icon-button kf-upload__cancel', 'aria-label': t('chat.cancelUpload'), title: t('chat.cancelUpload') },
      [icon(doc, 'close')],
    );
    cancel.dataset.cancel = item.key;
    row.append(cancel);
    return row;
  }

  function renderPart(part: MessagePart): HTMLElement | null {
    switch (part.type) {
      case 'sources': {
        if (part.sources.length === 0) return null;
        const p = el(doc, 'p', { className: 'kf-sources', 'data-testid': 'sources' });
        p.append(el(doc, 'span', { className: 'kf-sources__label' }, [t('chat.sources')]), part.sources.map((s) => s.title).join(t('chat.sourceSeparator')));
        return p;
      }
      case 'quick_replies': {
        const group = el(doc, 'div', { className: 'kf-chips', role: 'group', 'aria-label': t('chat.quickReplies') });
        for (const option of part.options) {
          const chip = el(doc, 'button', { type: 'button', className: 'kf-chip' }, [option.label]);
          chip.dataset.send = option.value || option.label;
          group.append(chip);
        }
        return group;
      }
      case 'buttons': {
        const group = el(doc, 'div', { className: 'kf-actions' });
        for (const button of part.buttons) {
          const link = safeUrl(button.url);
          if (link) {
            group.append(el(doc, 'a', { className: 'kf-action', href: link, target: '_blank', rel: 'noopener noreferrer' }, [button.label]));
          } else {
            const b = el(doc, 'button', { type: 'button', className: 'kf-action' }, [button.label]);
            b.dataset.send = button.value ?? button.label;
            group.append(b);
          }
        }
        return group;
      }
      case 'card': {
        const card = el(doc, 'div', { className: 'kf-card' });
        const image = safeUrl(part.imageUrl);
        if (image) card.append(el(doc, 'img', { className: 'kf-card__image', src: image, alt: '', loading: 'lazy' }));
        const href = safeUrl(part.url);
        const heading = href ? el(doc, 'a', { href, target: '_blank', rel: 'noopener noreferrer' }, [part.title]) : el(doc, 'span', {}, [part.title]);
        card.append(el(doc, 'p', { className: 'kf-card__title' }, [heading]));
        if (part.text) card.append(el(doc, 'p', { className: 'kf-card__text' }, [part.text]));
        return card;
      }
      default:
        return null;
    }
  }

  function renderMeta(item: ChatItem): HTMLElement {
    const meta = el(doc, 'p', { className: 'kf-msg__meta', 'aria-hidden': 'true' });
    if (item.state === 'sending') meta.textContent = t('chat.sending');
    else if (item.state === 'sent' && !item.message.id.startsWith('local:')) {
      const time = el(doc, 'time', { dateTime: item.message.createdAt });
      time.textContent = formatTime(item.message.createdAt);
      meta.append(time);
    }
    return meta;
  }

  function renderFailure(item: ChatItem): HTMLElement {
    const row = el(doc, 'p', { className: 'kf-msg__failed', hidden: item.state !== 'failed' });
    if (item.state !== 'failed') return row;
    const retry = el(doc, 'button', { type: 'button', className: 'kf-link-button' }, [t('chat.retry')]);
    retry.dataset.retry = item.key;
    row.append(icon(doc, 'alert'), el(doc, 'span', {}, [t('chat.failed')]), retry);
    return row;
  }

  function patchState(li: HTMLElement, item: ChatItem) {
    const upload = li.querySelector('.kf-upload');
    // A file still going keeps its progress bar (and its place in the live region).
    if (!(item.state === 'sending' && upload?.querySelector('progress'))) upload?.replaceWith(renderUpload(item));
    li.querySelector('.kf-msg__meta')?.replaceWith(renderMeta(item));
    li.querySelector('.kf-msg__failed')?.replaceWith(renderFailure(item));
    applyState(li, item);
  }

  function applyState(li: HTMLElement, item: ChatItem) {
    li.dataset.state = item.state;
    if (item.state === 'streaming') li.setAttribute('aria-busy', 'true');
    else li.removeAttribute('aria-busy');
    li.dataset.messageId = item.message.id;
  }

  function authorName(m: Message): string {
    if (m.author.type === 'contact') return t('author.contact');
    if (m.author.type === 'agent') return m.author.name ?? t('author.agent');
    if (m.author.type === 'bot') return t('author.bot');
    return m.author.name ?? t(m.author.type === 'note' ? 'author.note' : 'author.system');
  }

  function formatTime(iso: string): string {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? '' : new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(date);
  }

  /** The paperclip and the picker's types follow the workspace's limits (hidden when files are off). */
  function renderAttach() {
    attachButton.hidden = limits === null;
    fileInput.accept = limits ? acceptAttribute(limits.types) : '';
  }

  function renderStatus() {
    const status = conversation?.status ?? null;
    statusEl.hidden = status === null;
    statusEl.dataset.status = status ?? '';
    if (status) {
      const name = status === 'assigned' ? conversation?.assignee?.name : null;
      statusText.textContent = name ? `${t('status.assigned')} · ${name}` : t(`status.${status}`);
    }
    sendButton.disabled = starting;
    attachButton.disabled = starting;
    renderEnd();
    root.setAttribute('aria-busy', String(starting));
  }

  /** Only a conversation the visitor has taken part in, and that is not over, can be ended. */
  function renderEnd() {
    const status = conversation?.status;
    const open = status === 'bot' || status === 'queued' || status === 'assigned';
    endButton.hidden = starting || !session.canEnd || !open || !entries.some((e) => e.item?.message.author.type === 'contact');
  }

  function renderIndicator() {
    let text = '';
    if (starting) text = t('chat.starting');
    else if (thinking) text = t('chat.thinking');
    else if (agentTyping) text = t('chat.agentTyping', { name: agentTyping.name ?? t('author.agent') });
    indicator.dataset.active = String(text !== '');
    indicatorDots.hidden = text === '';
    indicatorText.textContent = text;
    if (text && followLatest) scrollToBottom();
  }

  function renderError() {
    errorEl.replaceChildren();
    errorEl.hidden = currentError === null;
    if (!currentError) return;
    const { error, action, file } = currentError;
    const key = errorKey(error.code);
    const maxBytes = error.limit ?? limits?.maxBytes;
    const vars = {
      name: file ?? '',
      types: typeLabels(limits?.types ?? []).join(t('chat.sourceSeparator')),
      ...(maxBytes ? { max: formatBytes(maxBytes, locale) } : {}),
    };
    const message = key ? t(key, vars) : t('error.generic', { status: error.status });
    const body = el(doc, 'div', { className: 'kf-error__body' }, [
      el(doc, 'p', { className: 'kf-error__title' }, [t('error.title')]),
      el(doc, 'p', { className: 'kf-error__message' }, [message]),
    ]);
    // The code and request id let a visitor quote the failure and an operator find it in the log.
    const reference = [error.code, error.requestId].filter(Boolean).join(' · ');
    body.append(el(doc, 'p', { className: 'kf-error__code' }, [reference]));
    errorEl.dataset.code = error.code;
    const buttons = el(doc, 'div', { className: 'kf-error__actions' });
    if (action) {
      const b = el(doc, 'button', { type: 'button', className: 'kf-button kf-button--small' }, [
        action.kind === 'retry' ? t('chat.retry') : t('chat.newConversation'),
      ]);
      b.addEventListener('click', () => {
        currentError = null;
        renderError();
        action.run();
      });
      buttons.append(b);
    }
    const dismiss = el(doc, 'button', { type: 'button', className: 'kf-icon-button', 'aria-label': t('chat.dismiss'), title: t('chat.dismiss') }, [
      icon(doc, 'close'),
    ]);
    dismiss.addEventListener('click', () => {
      currentError = null;
      renderError();
      input.focus();
    });
    buttons.append(dismiss);
    errorEl.append(icon(doc, 'alert'), body, buttons);
  }

  /** Quick replies belong to the newest message only; older ones would answer a question already past. */
  function markLatest() {
    let latestSeen = false;
    for (let i = entries.length - 1; i >= 0; i--) {
      const entry = entries[i]!;
      if (!entry.item) continue;
      entry.el.classList.toggle('kf-msg--latest', !latestSeen);
      latestSeen = true;
    }
  }

  // ── Ordered log ──────────────────────────────────────────────────────────────────────────────
  function insertEntry(entry: Entry) {
    removeEntry(entry.key);
    let i = entries.length;
    while (i > 0 && entries[i - 1]!.sortKey > entry.sortKey) i--;
    const next = entries[i];
    if (next) log.insertBefore(entry.el, next.el);
    else log.append(entry.el);
    entries.splice(i, 0, entry);
  }

  function reposition(entry: Entry, sortKey: string) {
    const i = entries.indexOf(entry);
    const prev = entries[i - 1];
    const next = entries[i + 1];
    entry.sortKey = sortKey;
    // Moving a node re-announces it in the live region; leave it when it is already in order.
    if ((!prev || prev.sortKey <= sortKey) && (!next || next.sortKey >= sortKey)) return;
    insertEntry(entry);
  }

  function removeEntry(key: string) {
    const i = entries.findIndex((e) => e.key === key);
    if (i === -1) return;
    entries[i]!.el.remove();
    entries.splice(i, 1);
  }

  function scrollToBottom() {
    // Instant: several messages arrive together on restore, and a smooth scroll would still be
    // under way when the next one lands.
    scroller.scrollTo({ top: scroller.scrollHeight, behavior: 'instant' });
    followLatest = true;
  }

  return {
    element: root,
    setLocale(next) {
      locale = next;
      t = translator(next);
      for (const apply of translations) apply();
      renderStatus();
      renderIndicator();
      renderError();
      survey?.card.relabel(t);
      preChat?.relabel(t);
      for (const entry of entries) {
        const fresh = entry.item ? renderItem(entry.item) : entry.notice ? renderNotice(entry.notice) : null;
        if (!fresh) continue;
        entry.el.replaceWith(fresh);
        entry.el = fresh;
      }
      markLatest();
    },
    setTitle(next) {
      title = next;
      titleEl.textContent = next;
    },
    ask(text) {
      if (!starting) send(text);
      input.focus();
    },
    focus() {
      input.focus();
    },
    destroy() {
      unsubscribe();
      if (reconnectTimer) clearTimeout(reconnectTimer);
      root.remove();
    },
  };
}

function sameContent(a: Message, b: Message): boolean {
  return a.text === b.text && a.author.type === b.author.type && JSON.stringify(a.parts) === JSON.stringify(b.parts);
}

/** Only web links and same-site paths; the server checks too, but a link is the last step before a click. */
function safeUrl(url: string | undefined): string | null {
  if (!url) return null;
  if (url.startsWith('/') && !url.startsWith('//')) return url;
  return /^https?:\/\//i.test(url) ? url : null;
}
