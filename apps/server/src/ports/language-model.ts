/** A chat model behind any OpenAI-compatible endpoint (LLM_BASE_URL / LLM_MODEL). Optional everywhere. */
export interface LanguageModel {
  readonly model: string;
  /** One completion. Rejects on timeout, network or protocol errors; callers fall back to offline paths. */
  complete(
    request: { system: string; prompt: string; maxOutputTokens?: number; temperature?: number },
    opts?: { signal?: AbortSignal },
  ): Promise<{ text: string; inputTokens?: number; outputTokens?: number }>;
}
