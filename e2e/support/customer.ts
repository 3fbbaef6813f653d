import type { Message, SendMessageResponse, StartConversationResponse } from '@kefu/protocol';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { TestServer } from '../../apps/server/src/test-support/test-server.js';

export interface ApiCustomer {
  /** The conversation's id. */
  id: string;
  visitorToken: string;
  /** Writes as the customer; the answer carries the bot's replies when the bot still has the conversation. */
  say(text: string): Promise<SendMessageResponse>;
  /** What the customer can see of the conversation, oldest first. */
  messages(): Promise<Message[]>;
}

/** A customer of the demo workspace, through the public visitor API, as the widget would do it. */
export async function startCustomer(server: TestServer, contact?: { name?: string; email?: string }): Promise<ApiCustomer> {
  const { url, demo } = server;
  const r = await fetch(`${url}/v1/widget/conversations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-kefu-widget-key': demo!.workspace.widgetKey },
    body: JSON.stringify({ locale: 'zh-CN', ...(contact ? { contact } : {}) }),
  });
  expect(r.status).toBe(201);
  const body = (await r.json()) as StartConversationResponse;
  const messagesUrl = `${url}/v1/widget/conversations/${body.conversation.id}/messages`;
  const auth = { authorization: `Bearer ${body.visitorToken}` };
  return {
    id: body.conversation.id,
    visitorToken: body.visitorToken,
    async say(text) {
      const res = await fetch(messagesUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify({ text }) });
      expect(res.status).toBe(200);
      return (await res.json()) as SendMessageResponse;
    },
    async messages() {
      const res = await fetch(messagesUrl, { headers: auth });
      expect(res.status).toBe(200);
      return ((await res.json()) as { items: Message[] }).items;
    },
  };
}

export interface WidgetCustomer {
  /** The chat inside the widget's iframe. */
  chat: FrameLocator;
  /** The messages in the chat log by one kind of author, in the order shown. */
  said(author: Message['author']['type']): Locator;
  /** Types `text` in the chat's box and presses Enter, as a customer would. */
  ask(text: string): Promise<void>;
  /** The conversation the widget saved for this (anonymous) visitor. */
  conversationId(): Promise<string>;
}

/** A customer in front of a page that embeds the real widget (the demo page, or a shop on another origin). */
export function widgetCustomer(page: Page): WidgetCustomer {
  const chat = page.frameLocator('iframe[src*="/widget/frame.html"]');
  return {
    chat,
    said: (author) => chat.locator(`[data-testid="message"][data-author="${author}"]`),
    async ask(text) {
      await chat.getByRole('textbox').fill(text);
      await chat.getByRole('textbox').press('Enter');
    },
    async conversationId() {
      const frame = page.frames().find((f) => f.url().includes('/widget/frame.html'));
      if (!frame) throw new Error('the widget frame is not on the page');
      // The frame saves the session in its own storage; where a third-party frame may not use storage
      // (Chromium here, in a frame on another site), the loader keeps it in the page's, under kefu.widget.<key>.
      const saved =
        (await frame.evaluate(() => {
          try {
            return { ...localStorage } as Record<string, string>;
          } catch {
            return null;
          }
        })) ??
        (await page.evaluate(() => {
          const kept = Object.keys(localStorage).find((k) => /^kefu\.widget\.[^.]+$/.test(k));
          return kept ? (JSON.parse(localStorage.getItem(kept)!) as Record<string, string>) : {};
        }));
      const session = Object.entries(saved).find(([k]) => k.startsWith('kefu.w.') && k.endsWith('.anon'))?.[1];
      if (!session) throw new Error('the widget has saved no conversation');
      return (JSON.parse(session) as { conversationId: string }).conversationId;
    },
  };
}
