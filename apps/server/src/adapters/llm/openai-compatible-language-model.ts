import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateText } from 'ai';
import type { LanguageModel } from '../../ports/language-model.js';

/** Chat completions through the Vercel AI SDK's OpenAI-compatible provider. */
export class OpenAICompatibleLanguageModel implements LanguageModel {
  readonly model: string;
  private readonly chat;
  private readonly maxRetries: number;

  constructor(opts: { baseURL: string; model: string; apiKey?: string; maxRetries?: number }) {
    this.model = opts.model;
    this.chat = createOpenAICompatible({ name: 'kefu', baseURL: opts.baseURL, ...(opts.apiKey ? { apiKey: opts.apiKey } : {}) }).chatModel(opts.model);
    this.maxRetries = opts.maxRetries ?? 1;
  }

  async complete(request: { system: string; prompt: string; maxOutputTokens?: number; temperature?: number }, opts: { signal?: AbortSignal } = {}) {
    const r = await generateText({
      model: this.chat,
      system: request.system,
      prompt: request.prompt,
      maxRetries: this.maxRetries,
      ...(request.maxOutputTokens ? { maxOutputTokens: request.maxOutputTokens } : {}),
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(opts.signal ? { abortSignal: opts.signal } : {}),
    });
    return {
      text: r.text,
      ...(r.usage.inputTokens !== undefined ? { inputTokens: r.usage.inputTokens } : {}),
      ...(r.usage.outputTokens !== undefined ? { outputTokens: r.usage.outputTokens } : {}),
    };
  }
}
