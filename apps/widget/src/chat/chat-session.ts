import type { ClientFrame, Conversation, ConversationRating, ConversationStatus, Locale, Message, ServerFrame, WidgetConfig } from '@kefu/protocol';
import { type AttachmentLimits, attachmentProblem, attachmentType, isImageType } from './attachment-check.js';
import { ProblemError } from './problem-error.js';
import type { OutboxEntry, SessionStore } from './session-store.js';
import { type PreChatDetails, UploadCancelled, type VisitorApi } from './visitor-api.js';
import { type SocketState, VisitorSocket, type VisitorSocketOptions } from './visitor-socket.js';

/** `streaming`: a bot answer still being written (its text grows until the stored message replaces it). */
export type ItemState = 'sending' | 'sent' | 'failed' | 'streaming';

/** One message as the visitor sees it, including their own before the server confirmed it. */
export interface ChatItem {
  /** Stable across the optimistic copy and the stored message: `c:<clientMessageId>` or `m:<id>`. */
  key: string;
  message: Message;
  state: ItemState;
}

export interface ErrorAction {
  kind: 'retry' | 'new-conversation';
  run(): void;
}

export type ChatEvent =
  | { type: 'reset' }
  | { type: 'starting'; on: boolean }
  | { type: 'item'; item: ChatItem }
  | { type: 'item-removed'; key: string }
  /** `previous` is null when the conversation was just started or restored. */
  | { type: 'status'; conversation: Conversation; previous: ConversationStatus | null; restored: boolean }
  | { type: 'thinking'; on: boolean }
  | { type: 'agent-typing'; on: boolean; name: string | null }
  /** `file`: the name of the file the error is about. */
  | { type: 'error'; error: ProblemError; action: ErrorAction | null; file?: string }
  /** Whether files can be sent, and which (null: not at all). */
  | { type: 'attachments'; limits: AttachmentLimits | null }
  | { type: 'upload-progress'; key: string; fraction: number }
  /** The workspace's widget config (survey, pre-chat form…), once read. */
  | { type: 'config'; config: WidgetConfig }
  /** The pre-chat form to fill before the conversation starts; null once it is not needed (any more). */
  | { type: 'prechat'; form: NonNullable<WidgetConfig['preChat']> | null }
  | { type: 'error-cleared' }
  | { type: 'connection'; state: SocketState };

export type SendResult = { sent: true } | { sent: false; draft: string | null };

/** The realtime connection as the session uses it; VisitorSocket in the browser, a fake in tests. */
export interface RealtimeConnection {
  connect(): void;
  close(): void;
  send(frame: ClientFrame): boolean;
}

/** A file as the browser gives it (File). */
export type FileLike = Blob & { readonly name: string };

export interface ChatSessionOptions {
  /** Without getConfig and uploadAttachment, files cannot be sent. */
  api: Pick<VisitorApi, 'startConversation' | 'getConversation' | 'listMessages' | 'sendMessage' | 'socketUrl'> &
    Partial<Pick<VisitorApi, 'getConfig' | 'uploadAttachment' | 'endConversation' | 'rateConversation'>>;
  /** The site said who the visitor is (identify()): no pre-chat form. */
  identified?: boolean;
  store: SessionStore;
  widgetKey: string;
  locale: Locale;
  connect?: (options: VisitorSocketOptions) => RealtimeConnection;
  randomId?: () => string;
  now?: () => Date;
  /** A local URL that shows an image before it is uploaded (default: an object URL), and its release. */
  preview?: { create(file: Blob): string | null; revoke(url: string): void };
}

interface Upload {
  file: FileLike;
  /** Object URL of an image, shown until the stored message replaces it. */
  preview: string | null;
  /** Set while the file is being sent. */
  controller: AbortController | null;
}

/** An agent's typing frame that is never switched off (tab closed) expires after this long. */
const AGENT_TYPING_TTL_MS = 8_000;
/** A visitor's typing indicator is refreshed at most this often and switched off after this much idle. */
const COMPOSING_REFRESH_MS = 3_000;

/**
 * One visitor's conversation: starts or restores it, sends messages idempotently, merges the HTTP
 * answers with the live WebSocket frames (deduplicated by message key) and reports everything as
 * ChatEvents, so a view only renders and never talks to the server.
 */
export class ChatSession {
  private listeners = new Set<(event: ChatEvent) => void>();
  private items = new Map<string, ChatItem>();
  /** Answers being streamed: the last delta's `seq`. */
  private streams = new Map<string, number>();
  private current: Conversation | null = null;
  private token: string | null = null;
  private socket: RealtimeConnection | null = null;
  /** Bumped whenever the conversation is replaced, so answers for the previous one are dropped. */
  private generation = 0;
  private botTurns = 0;
  private agentTypingTimer: ReturnType<typeof setTimeout> | null = null;
  private composingSentAt = 0;
  private composingTimer: ReturnType<typeof setTimeout> | null = null;
  private currentLocale: Locale;
  private limits: AttachmentLimits | null = null;
  private uploads = new Map<string, Upload>();
  /** Files go one after the other, so they arrive in the order they were chosen. */
  private uploadQueue: Promise<unknown> = Promise.resolve();
  private config: WidgetConfig | null = null;
  /** What the visitor gave in the pre-chat form, for this and any new conversation. */
  private details: PreChatDetails | null = null;
  private readonly onOnline = () => void this.resendFailed(this.generation);
  private resending = false;

  constructor(private readonly options: ChatSessionOptions) {
    this.currentLocale = options.locale;
    // The browser says the network is back: what failed to send goes out without waiting for the socket.
    if (typeof addEventListener === 'function') addEventListener('online', this.onOnline);
  }

  get locale(): Locale {
    return this.currentLocale;
  }

  get conversation(): Conversation | null {
    return this.current;
  }

  /** What files may be sent; null until the widget config is read, or when files are off. */
  get attachmentLimits(): AttachmentLimits | null {
    return this.limits;
  }

  on(listener: (event: ChatEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Whether the visitor can end the chat from here. */
  get canEnd(): boolean {
    return Boolean(this.options.api.endConversation);
  }

  /** The workspace's widget config, once read (null before, or when it could not be read). */
  get widgetConfig(): WidgetConfig | null {
    return this.config;
  }

  /**
   * Restores the saved conversation of this workspace, or starts one — after the pre-chat form when the
   * workspace asks for one and the site has not said who the visitor is.
   */
  async open(): Promise<void> {
    const config = this.loadLimits();
    const saved = this.options.store.load();
    if (saved && saved.widgetKey === this.options.widgetKey) {
      this.currentLocale = saved.locale;
      this.details = saved.details ?? null;
      return this.restore(saved.conversationId, saved.visitorToken, saved.outbox ?? []);
    }
    const form = (await config)?.preChat;
    if (form && !this.options.identified && !this.details) {
      this.emit({ type: 'prechat', form });
      return;
    }
    return this.start(this.currentLocale);
  }

  /** The pre-chat form was filled in: the conversation starts with these details on the contact. */
  submitDetails(details: PreChatDetails): Promise<void> {
    this.details = details;
    return this.start(this.currentLocale);
  }

  /** The visitor ends the chat; the conversation is resolved (and the survey offered). */
  async end(): Promise<void> {
    const { current, token } = this;
    if (!current || !token || !this.options.api.endConversation) return;
    const gen = this.generation;
    try {
      const conversation = await this.options.api.endConversation(current.id, token);
      if (gen === this.generation) this.setConversation(conversation, 'live');
    } catch (err) {
      if (gen !== this.generation) return;
      const problem = err instanceof ProblemError ? err : ProblemError.network(err);
      this.emit({ type: 'error', error: problem, action: problem.isNetworkFailure ? { kind: 'retry', run: () => void this.end() } : this.recovery(problem) });
    }
  }

  /** Rates the (resolved) conversation 1–5; the rating replaces an earlier one. Rejects with a ProblemError. */
  async rate(score: number, comment: string): Promise<ConversationRating> {
    const { current, token } = this;
    if (!current || !token || !this.options.api.rateConversation) throw new ProblemError({ status: 409, code: 'CONVERSATION_NOT_ENDED' });
    const rating = await this.options.api.rateConversation(current.id, token, { score, ...(comment.trim() ? { comment: comment.trim() } : {}) });
    if (this.current?.id === current.id) this.current = { ...this.current, rating };
    return rating;
  }

  /** Leaves the current conversation (it stays on the server) and starts a fresh one. */
  start(locale: Locale = this.currentLocale): Promise<void> {
    const gen = this.replace(locale);
    this.options.store.clear();
    return this.run(
      gen,
      async () => {
        const r = await this.options.api.startConversation(locale, this.details ?? undefined);
        if (gen !== this.generation) return;
        this.token = r.visitorToken;
        this.emit({ type: 'prechat', form: null });
        this.options.store.save({
          widgetKey: this.options.widgetKey,
          conversationId: r.conversation.id,
          visitorToken: r.visitorToken,
          locale,
          ...(this.details ? { details: this.details } : {}),
        });
        this.connect(gen, r.visitorToken);
        this.setConversation(r.conversation, 'started');
        for (const m of r.messages) this.upsert(m);
      },
      () => this.start(locale),
    );
  }

  async send(text: string): Promise<SendResult> {
    const trimmed = text.trim();
    if (!trimmed) return { sent: false, draft: null };
    if (!this.current || !this.token) return { sent: false, draft: text };
    const clientMessageId = (this.options.randomId ?? (() => crypto.randomUUID()))();
    const item: ChatItem = {
      key: `c:${clientMessageId}`,
      state: 'sending',
      message: this.ownMessage(this.current.id, clientMessageId, trimmed, this.now().toISOString()),
    };
    this.stopComposing();
    return this.deliver(item);
  }

  /** Sends a failed message again with the same clientMessageId. */
  retry(key: string): Promise<SendResult> {
    const item = this.items.get(key);
    if (item?.state !== 'failed') return Promise.resolve({ sent: false, draft: null });
    if (this.uploads.has(key)) return this.enqueueUpload({ ...item, state: 'sending' });
    return this.deliver(item);
  }

  /**
   * Sends files (picked, pasted or dropped) as messages, one after the other. Each is checked first
   * (type, size); one that would be refused is reported as an error naming it and is not sent. The others
   * appear at once (images with a local preview) and show their progress.
   */
  sendFiles(files: readonly FileLike[]): void {
    for (const file of files) void this.sendFile(file);
  }

  sendFile(file: FileLike): Promise<SendResult> {
    const limits = this.limits;
    if (!limits || !this.current || !this.token) return Promise.resolve({ sent: false, draft: null });
    const problem = attachmentProblem(file, limits);
    if (problem) {
      const status = problem === 'ATTACHMENT_TOO_LARGE' ? 413 : problem === 'ATTACHMENT_EMPTY' ? 400 : 415;
      const error = new ProblemError({ status, code: problem, ...(problem === 'ATTACHMENT_TOO_LARGE' ? { limit: limits.maxBytes } : {}) });
      this.emit({ type: 'error', error, action: null, file: file.name });
      return Promise.resolve({ sent: false, draft: null });
    }
    const clientMessageId = (this.options.randomId ?? (() => crypto.randomUUID()))();
    const mimeType = attachmentType(file) ?? file.type;
    const preview = isImageType(mimeType) ? this.previews().create(file) : null;
    const item: ChatItem = {
      key: `c:${clientMessageId}`,
      state: 'sending',
      message: {
        id: `local:${clientMessageId}`,
        conversationId: this.current.id,
        author: { type: 'contact', id: null, name: null },
        text: '',
        parts: [{ type: 'attachment', url: preview ?? '', name: file.name, mimeType, size: file.size }],
        clientMessageId,
        replyToId: null,
        metadata: {},
        createdAt: this.now().toISOString(),
      },
    };
    this.uploads.set(item.key, { file, preview, controller: null });
    this.set(item);
    return this.enqueueUpload(item);
  }

  /** Stops a file being sent (or waiting to be, or failed) and removes it from the conversation. */
  cancelUpload(key: string): void {
    const upload = this.uploads.get(key);
    if (!upload) return;
    if (upload.controller) upload.controller.abort();
    else this.dropUpload(key);
  }

  /** Call on every keystroke; tells the agent the visitor is typing once a person owns the chat. */
  composing(): void {
    if (!this.humanOwned()) return;
    const now = this.now().getTime();
    if (now - this.composingSentAt > COMPOSING_REFRESH_MS) {
      this.socket?.send({ type: 'typing', on: true });
      this.composingSentAt = now;
    }
    if (this.composingTimer) clearTimeout(this.composingTimer);
    this.composingTimer = setTimeout(() => this.stopComposing(), COMPOSING_REFRESH_MS);
  }

  dispose(): void {
    this.generation++;
    this.teardown();
    this.listeners.clear();
    if (typeof removeEventListener === 'function') removeEventListener('online', this.onOnline);
  }

  private configRequest: Promise<WidgetConfig | null> | null = null;

  /** Reads the widget config once: the survey, the pre-chat form, and what files may be sent. */
  private loadLimits(): Promise<WidgetConfig | null> {
    const { getConfig, uploadAttachment } = this.options.api;
    if (this.configRequest) return this.configRequest;
    if (!getConfig) return Promise.resolve(null);
    this.configRequest = (async () => {
      try {
        this.config = await getConfig.call(this.options.api);
        this.emit({ type: 'config', config: this.config });
      } catch {
        // No config: the chat itself works (or reports why it does not), without files or a form.
        this.config = null;
      }
      this.limits = uploadAttachment ? (this.config?.limits.attachments ?? null) : null;
      this.emit({ type: 'attachments', limits: this.limits });
      return this.config;
    })();
    return this.configRequest;
  }

  private enqueueUpload(item: ChatItem): Promise<SendResult> {
    const run = this.uploadQueue.then(() => this.deliverFile(item));
    this.uploadQueue = run.catch(() => undefined);
    return run;
  }

  private async deliverFile(item: ChatItem): Promise<SendResult> {
    const upload = this.uploads.get(item.key);
    // Cancelled while it waited, or the conversation was replaced.
    if (!upload || !this.current || !this.token) return { sent: false, draft: null };
    const gen = this.generation;
    const controller = new AbortController();
    upload.controller = controller;
    this.set({ ...item, state: 'sending' });
    const report = (loaded: number, total: number) => {
      if (gen === this.generation) this.emit({ type: 'upload-progress', key: item.key, fraction: total > 0 ? Math.min(1, loaded / total) : 0 });
    };
    try {
      const body = { file: upload.file, name: upload.file.name, clientMessageId: item.message.clientMessageId! };
      const r = await this.options.api.uploadAttachment!(this.current.id, this.token, body, { signal: controller.signal, onProgress: report });
      if (gen !== this.generation) return { sent: true };
      this.upsert(r.message);
      for (const m of r.replies) this.upsert(m);
      this.setConversation(r.conversation, 'live');
      this.forgetUpload(item.key);
      this.emit({ type: 'error-cleared' });
      return { sent: true };
    } catch (err) {
      upload.controller = null;
      if (gen !== this.generation) return { sent: false, draft: null };
      const shown = this.items.get(item.key);
      if (shown?.state === 'sent') {
        // The stored message already came over the socket; only the answer to the upload was lost.
        this.forgetUpload(item.key);
        return { sent: true };
      }
      if (err instanceof UploadCancelled) {
        this.dropUpload(item.key);
        return { sent: false, draft: null };
      }
      const problem = err instanceof ProblemError ? err : ProblemError.network(err);
      if (problem.isNetworkFailure) {
        this.set({ ...item, state: 'failed' });
        this.emit({ type: 'error', error: problem, action: { kind: 'retry', run: () => void this.retry(item.key) }, file: upload.file.name });
        return { sent: false, draft: null };
      }
      this.dropUpload(item.key);
      this.emit({ type: 'error', error: problem, action: this.recovery(problem), file: upload.file.name });
      return { sent: false, draft: null };
    }
  }

  /** The upload is done with: its preview is no longer shown (the stored message replaced it). */
  private forgetUpload(key: string) {
    const upload = this.uploads.get(key);
    this.uploads.delete(key);
    if (upload?.preview) this.previews().revoke(upload.preview);
  }

  private dropUpload(key: string) {
    this.forgetUpload(key);
    if (this.items.delete(key)) this.emit({ type: 'item-removed', key });
  }

  private previews(): NonNullable<ChatSessionOptions['preview']> {
    return (
      this.options.preview ?? {
        create: (file) => (typeof URL.createObjectURL === 'function' ? URL.createObjectURL(file) : null),
        revoke: (url) => URL.revokeObjectURL(url),
      }
    );
  }

  private async deliver(item: ChatItem): Promise<SendResult> {
    const gen = this.generation;
    const conversation = this.current!;
    const { text, clientMessageId } = item.message;
    this.set({ ...item, state: 'sending' });
    // Only when the bot owns the conversation (or will, once a resolved one reopens) does an answer follow.
    const botAnswers = conversation.status !== 'queued' && conversation.status !== 'assigned';
    if (botAnswers) this.thinking(+1);
    try {
      const r = await this.options.api.sendMessage(conversation.id, this.token!, { text, clientMessageId: clientMessageId! });
      if (gen !== this.generation) return { sent: true };
      this.upsert(r.message);
      for (const m of r.replies) this.upsert(m);
      this.setConversation(r.conversation, 'live');
      if (item.state === 'failed') this.saveOutbox();
      this.emit({ type: 'error-cleared' });
      return { sent: true };
    } catch (err) {
      if (gen !== this.generation) return { sent: true };
      const problem = err instanceof ProblemError ? err : ProblemError.network(err);
      if (problem.isNetworkFailure) {
        // The text stays in the conversation, marked, with its own retry, and in the saved session: nothing is lost.
        this.set({ ...item, state: 'failed' });
        this.saveOutbox();
        this.emit({ type: 'error', error: problem, action: { kind: 'retry', run: () => void this.retry(item.key) } });
        return { sent: false, draft: null };
      }
      // The server refused it (too long, invalid…): give the text back so the visitor can edit it.
      this.items.delete(item.key);
      this.emit({ type: 'item-removed', key: item.key });
      this.emit({ type: 'error', error: problem, action: this.recovery(problem) });
      return { sent: false, draft: text };
    } finally {
      if (botAnswers && gen === this.generation) this.thinking(-1);
    }
  }

  private restore(conversationId: string, token: string, outbox: readonly OutboxEntry[] = []): Promise<void> {
    const gen = this.replace(this.currentLocale);
    this.token = token;
    // Connect before reading the history so nothing sent in between is missed; duplicates merge by key.
    this.connect(gen, token);
    return this.run(
      gen,
      async () => {
        try {
          const [conversation, messages] = await Promise.all([
            this.options.api.getConversation(conversationId, token),
            this.options.api.listMessages(conversationId, token),
          ]);
          if (gen !== this.generation) return;
          for (const m of messages) this.upsert(m);
          this.setConversation(conversation, 'restored');
          // Written before the reload while the network was down: shown as failed, then sent again.
          for (const entry of outbox) {
            const key = `c:${entry.clientMessageId}`;
            if (!this.items.has(key))
              this.set({ key, state: 'failed', message: this.ownMessage(conversation.id, entry.clientMessageId, entry.text, entry.createdAt) });
          }
          this.saveOutbox();
          void this.resendFailed(gen);
        } catch (err) {
          // An expired token or a conversation that is gone: start over rather than show an error.
          if (err instanceof ProblemError && (err.status === 401 || err.status === 404) && gen === this.generation) {
            await this.start(this.currentLocale);
            return;
          }
          throw err;
        }
      },
      () => this.restore(conversationId, token, outbox),
    );
  }

  /** Runs a start or restore with the `starting` indicator, reporting a failure with a way to retry. */
  private async run(gen: number, work: () => Promise<void>, again: () => Promise<void>): Promise<void> {
    this.emit({ type: 'starting', on: true });
    try {
      await work();
    } catch (err) {
      if (gen !== this.generation) return;
      const problem = err instanceof ProblemError ? err : ProblemError.network(err);
      this.emit({ type: 'error', error: problem, action: { kind: 'retry', run: () => void again() } });
    } finally {
      if (gen === this.generation) this.emit({ type: 'starting', on: false });
    }
  }

  /** Drops everything about the current conversation and returns the new generation. */
  private replace(locale: Locale): number {
    const gen = ++this.generation;
    this.teardown();
    this.currentLocale = locale;
    this.emit({ type: 'reset' });
    return gen;
  }

  private teardown() {
    for (const [key, upload] of this.uploads) {
      upload.controller?.abort();
      this.forgetUpload(key);
    }
    this.uploadQueue = Promise.resolve();
    this.socket?.close();
    this.socket = null;
    this.items.clear();
    this.current = null;
    this.token = null;
    this.botTurns = 0;
    if (this.agentTypingTimer) clearTimeout(this.agentTypingTimer);
    if (this.composingTimer) clearTimeout(this.composingTimer);
    this.agentTypingTimer = null;
    this.composingTimer = null;
    this.composingSentAt = 0;
  }

  private connect(gen: number, token: string) {
    const connect = this.options.connect ?? ((o: VisitorSocketOptions) => new VisitorSocket(o));
    this.socket = connect({
      url: this.options.api.socketUrl(token),
      onFrame: (frame) => {
        if (gen === this.generation) this.onFrame(frame);
      },
      onStateChange: (state) => {
        if (gen === this.generation) this.emit({ type: 'connection', state });
      },
      onReconnected: () => {
        if (gen === this.generation) void this.resync(gen, token);
      },
      onUnauthorized: () => {
        if (gen !== this.generation || !this.current) return;
        const error = new ProblemError({ status: 401, code: 'AUTH_INVALID_TOKEN' });
        this.emit({ type: 'error', error, action: this.recovery(error) });
      },
    });
    this.socket.connect();
  }

  /** Catches up after the socket was down: frames sent meanwhile are gone, the history is not. */
  private async resync(gen: number, token: string) {
    const id = this.current?.id;
    if (!id) return;
    try {
      const [conversation, messages] = await Promise.all([this.options.api.getConversation(id, token), this.options.api.listMessages(id, token)]);
      if (gen !== this.generation) return;
      for (const m of messages) this.upsert(m);
      this.setConversation(conversation, 'live');
    } catch {
      // The next reconnect tries again; live frames keep arriving meanwhile.
      return;
    }
    await this.resendFailed(gen);
  }

  /**
   * What the visitor wrote while the network was down goes out now, oldest first, with the same
   * clientMessageId (the server stores each once); one that reached the server after all was just marked
   * sent by the history. Files that failed go back into the upload queue.
   */
  private async resendFailed(gen: number) {
    if (this.resending || gen !== this.generation || !this.current || !this.token) return;
    this.resending = true;
    try {
      const failed = [...this.items.values()].filter((i) => i.state === 'failed').sort((a, b) => (a.message.createdAt < b.message.createdAt ? -1 : 1));
      for (const item of failed) {
        if (gen !== this.generation) return;
        const result = this.uploads.has(item.key) ? await this.enqueueUpload({ ...item, state: 'sending' }) : await this.deliver(item);
        // Still offline: the rest waits for the next reconnect rather than failing one by one.
        if (!result.sent && this.items.get(item.key)?.state === 'failed') return;
      }
    } finally {
      this.resending = false;
    }
  }

  /** Keeps the undelivered texts with the saved session, so a reload does not lose them. */
  private saveOutbox() {
    const saved = this.options.store.load();
    if (!saved || saved.conversationId !== this.current?.id) return;
    const outbox: OutboxEntry[] = [...this.items.values()]
      .filter((i) => (i.state === 'failed' || i.state === 'sending') && i.message.author.type === 'contact' && !this.uploads.has(i.key) && i.message.text)
      .map((i) => ({ clientMessageId: i.message.clientMessageId!, text: i.message.text, createdAt: i.message.createdAt }));
    const { outbox: _before, ...rest } = saved;
    if (!outbox.length && !_before?.length) return;
    this.options.store.save(outbox.length ? { ...rest, outbox } : rest);
  }

  private ownMessage(conversationId: string, clientMessageId: string, text: string, createdAt: string): Message {
    return {
      id: `local:${clientMessageId}`,
      conversationId,
      author: { type: 'contact', id: null, name: null },
      text,
      parts: [],
      clientMessageId,
      replyToId: null,
      metadata: {},
      createdAt,
    };
  }

  private onFrame(frame: ServerFrame) {
    const id = this.current?.id;
    switch (frame.type) {
      case 'message.created':
        if (frame.conversationId === id) this.upsert(frame.message);
        break;
      case 'conversation.updated':
        if (frame.conversation.id === id) this.setConversation(frame.conversation, 'live');
        break;
      case 'typing':
        if (frame.conversationId === id && frame.author.type === 'agent') this.agentTyping(frame.on, frame.author.name);
        break;
      case 'answer-start':
      case 'answer-delta':
      case 'answer-end':
        if (frame.conversationId === id) this.onAnswerFrame(frame);
        break;
      default:
        break;
    }
  }

  /**
   * A generated answer as it is written: a bot item that grows delta by delta (out-of-order or repeated
   * deltas are dropped by `seq`), takes its final text at the end, and is replaced by the stored message
   * (same id) when that arrives. An answer that ends empty (the turn failed) is removed.
   */
  private onAnswerFrame(frame: Extract<ServerFrame, { type: 'answer-start' | 'answer-delta' | 'answer-end' }>) {
    const key = `m:${frame.answerId}`;
    const existing = this.items.get(key);
    if (existing && existing.state !== 'streaming') return;
    if (frame.type === 'answer-start') {
      if (existing) return;
      this.streams.set(frame.answerId, -1);
      this.emit({ type: 'thinking', on: false });
      const message: Message = {
        id: frame.answerId,
        conversationId: frame.conversationId,
        author: { type: 'bot', id: null, name: null },
        text: '',
        parts: [],
        clientMessageId: null,
        replyToId: null,
        metadata: { language: frame.language },
        createdAt: (this.options.now?.() ?? new Date()).toISOString(),
      };
      this.set({ key, message, state: 'streaming' });
      return;
    }
    if (!existing) return;
    if (frame.type === 'answer-delta') {
      const last = this.streams.get(frame.answerId) ?? -1;
      if (frame.seq <= last) return;
      this.streams.set(frame.answerId, frame.seq);
      this.set({ ...existing, message: { ...existing.message, text: existing.message.text + frame.text } });
      return;
    }
    this.streams.delete(frame.answerId);
    if (frame.status === 'replaced' && frame.text === '') {
      this.items.delete(key);
      this.emit({ type: 'item-removed', key });
      return;
    }
    this.set({ ...existing, message: { ...existing.message, text: frame.text } });
  }

  private upsert(message: Message) {
    const key = messageKey(message);
    const existing = this.items.get(key);
    if (existing?.state === 'sent' && existing.message.id === message.id) return;
    if (message.author.type === 'agent') this.agentTyping(false, null);
    this.set({ key, message, state: 'sent' });
  }

  private set(item: ChatItem) {
    this.items.set(item.key, item);
    this.emit({ type: 'item', item });
  }

  private setConversation(conversation: Conversation, how: 'started' | 'restored' | 'live') {
    const before = this.current;
    // The HTTP answer and the WebSocket frame race; an older snapshot must not undo a newer one.
    if (before && before.id === conversation.id && conversation.updatedAt < before.updatedAt) return;
    this.current = conversation;
    const changed =
      !before ||
      before.status !== conversation.status ||
      before.assignee?.id !== conversation.assignee?.id ||
      // A rating given in another tab reaches this one's survey card.
      before.rating?.ratedAt !== conversation.rating?.ratedAt;
    if (how !== 'live' || changed) {
      this.emit({ type: 'status', conversation, previous: how === 'live' ? (before?.status ?? null) : null, restored: how === 'restored' });
    }
  }

  private recovery(problem: ProblemError): ErrorAction | null {
    if (problem.code === 'AUTH_INVALID_TOKEN' || problem.code === 'CONVERSATION_NOT_FOUND') {
      return { kind: 'new-conversation', run: () => void this.start(this.currentLocale) };
    }
    return null;
  }

  private thinking(delta: number) {
    const before = this.botTurns;
    this.botTurns = Math.max(0, this.botTurns + delta);
    if ((before === 0) !== (this.botTurns === 0)) this.emit({ type: 'thinking', on: this.botTurns > 0 });
  }

  private agentTyping(on: boolean, name: string | null) {
    if (this.agentTypingTimer) clearTimeout(this.agentTypingTimer);
    this.agentTypingTimer = on ? setTimeout(() => this.agentTyping(false, null), AGENT_TYPING_TTL_MS) : null;
    this.emit({ type: 'agent-typing', on, name });
  }

  private stopComposing() {
    if (this.composingTimer) clearTimeout(this.composingTimer);
    this.composingTimer = null;
    if (this.composingSentAt === 0) return;
    this.composingSentAt = 0;
    this.socket?.send({ type: 'typing', on: false });
  }

  private humanOwned(): boolean {
    return this.current?.status === 'queued' || this.current?.status === 'assigned';
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private emit(event: ChatEvent) {
    for (const listener of this.listeners) listener(event);
  }
}

/** A visitor's own message is known by its clientMessageId before the server gives it an id. */
export function messageKey(message: Pick<Message, 'id' | 'author' | 'clientMessageId'>): string {
  return message.author.type === 'contact' && message.clientMessageId ? `c:${message.clientMessageId}` : `m:${message.id}`;
}
