import type { Language, MessagePart, TraceStage, TurnTrace, UsagePurpose } from '@kefu/protocol';
import type { AnswerVariant, DialogueState, FlowState, WorkspaceSettings } from '../domain/entities.js';
import type { FlowEffect } from '../flows/builtin-actions.js';
import { localizeText, traditional } from '../flows/localize-text.js';
import { type FlowContext, type FlowMessage, type FlowOutcome, type RunAction, rejectAnswer, repeatQuestion, startFlow } from '../flows/run-flow.js';
import { detectInjection } from '../guardrails/detect-injection.js';
import { PiiVault } from '../guardrails/redact-pii.js';
import type { SentimentPoint } from '../nlu/analyze-sentiment.js';
import type { FlowCatalog } from '../ports/flow-catalog.js';
import type { IntentModels } from '../ports/intent-models.js';
import type { KnowledgeHit } from '../ports/knowledge-index.js';
import type { LanguageModel } from '../ports/language-model.js';
import { isOpen, nextOpening } from '../routing/business-hours.js';
import { detectLanguage } from '../text/detect-language.js';
import { foldForAnalysis, normalizeText } from '../text/normalize-text.js';
import { assistIntent } from './assist-intent.js';
import { detectHandoffRequest } from './detect-handoff-request.js';
import { assistantSettings, guardrailSettings } from './effective-settings.js';
import { type FlowTurn, flowTurn } from './flow-turn.js';
import { type ActionTool, type AnswerSink, type AnswerTools, type GeneratedAnswer, generateAnswer } from './generate-answer.js';
import { refineSentiment } from './refine-sentiment.js';
import { fillReply, REPLIES, type ReplyLocale, replyLocaleFor } from './reply-catalog.js';
import { type Retrieval, type RetrievalPorts, retrieveKnowledge } from './retrieve-knowledge.js';
import { rewriteQuery } from './rewrite-query.js';
import {
  DEFAULT_ANGER_THRESHOLD,
  DEFAULT_INTENT_THRESHOLD,
  DEFAULT_NEGATIVE_STREAK,
  describeUnderstanding,
  moodTrend,
  type Understanding,
  understand,
} from './understand.js';

/** Below this retrieval confidence the bot offers a person instead of guessing. Per workspace: settings.answerThreshold. */
export const DEFAULT_ANSWER_THRESHOLD = 0.35;
/** This many unanswered turns in a row hand the conversation to a person (settings.fallbackStreakHandoff). */
export const DEFAULT_FALLBACK_STREAK = 2;

export type Decision =
  | { kind: 'answer'; reason: 'knowledge_match' | 'intent_match'; confidence: number; hit: KnowledgeHit }
  /** Written by the language model from the cited entries (or from what its tools looked up). */
  | { kind: 'answer'; reason: 'generated'; confidence: number; hit: KnowledgeHit | null; text: string; cited: KnowledgeHit[] }
  /** The top entries are too close to choose: the customer picks with a button. */
  | { kind: 'clarify'; reason: 'close_candidates'; confidence: number; options: KnowledgeHit[] }
  | { kind: 'handoff'; reason: 'customer_request'; confidence: null }
  | { kind: 'handoff'; reason: 'assistant'; confidence: number; note: string }
  | { kind: 'handoff'; reason: 'regulator_threat' | 'negative_sentiment' | 'negative_trend' | 'intent' | 'low_confidence' | 'vip'; confidence: number }
  | { kind: 'handoff'; reason: 'flow'; confidence: number; flow: string; flowReason: string; note: string | null; slots: Record<string, unknown> }
  | { kind: 'flow'; reason: 'flow_started' | 'flow_continued' | 'flow_retry' | 'flow_ended' | 'flow_cancelled'; confidence: number; flow: string }
  | { kind: 'fallback'; reason: 'low_confidence' | 'no_candidates' | 'unsupported_input'; confidence: number };

export interface TurnInput {
  workspaceId: string;
  text: string;
  /** The conversation's language so far; a message in no clear language keeps it. */
  conversationLanguage: Language | null;
  answerThreshold?: number;
  /** The conversation's channel, to pick a channel-specific answer variant. */
  channel?: string;
  /** Thresholds and entity settings of the workspace. */
  settings?: WorkspaceSettings;
  now?: Date;
  /** The sentiment of the customer's earlier messages, oldest first: the mood trend. */
  history?: readonly SentimentPoint[];
  /** The bot's replies in a row, just before this turn, that found no answer (low confidence, no candidates). */
  fallbackStreak?: number;
  /** What the bot remembers of the conversation: a waiting flow, the last topic, recent turns. */
  dialogue?: DialogueState | null;
  /** Who the bot talks to, for flows (conditions on contact attributes, templates). Without it flows do not run. */
  flowContext?: Pick<FlowContext, 'conversationId' | 'contact' | 'conversation'>;
  /** Where a generated answer streams to, as it is written. */
  answerSink?: AnswerSink;
  /** For the model's default persona. */
  workspaceName?: string;
}

export interface TurnReply {
  text: string;
  parts: MessagePart[];
  locale: ReplyLocale;
  /**
   * This reply is the streamed answer (`done`: as streamed) or replaces what was streamed (`replaced`:
   * an output rule or the model failed mid-way): its message takes the stream's id.
   */
  stream?: 'done' | 'replaced';
}

export interface TurnResult {
  decision: Decision;
  language: Language;
  understanding: Understanding;
  /** The first of `replies`. */
  reply: TurnReply;
  /** The bot's messages, in order (a flow may say something and then ask). */
  replies: TurnReply[];
  /** The dialogue state after this turn, saved with the conversation. */
  dialogue: DialogueState;
  /** A hand-off outside business hours: when people are back, and whether a ticket is opened instead of queueing. */
  afterHours: { opensAt: string | null; mode: 'ticket' | 'queue' } | null;
  /** Changes the flow's built-in actions ask for (tags, priority, contact attributes). */
  effects: FlowEffect[];
  trace: TurnTrace;
}

export type TurnPorts = RetrievalPorts & {
  intentModels?: IntentModels | null;
  /** Flows of the workspace, and how their `call` steps reach its actions. */
  flows?: FlowCatalog | null;
  runAction?: RunAction;
  /**
   * When set: answers are written by the language model (settings.assistant), unsure intents and moods
   * get its second opinion. `use` gives the model counted for a purpose (token accounting).
   */
  llm?: { model: LanguageModel; timeoutMs: number; use?: (purpose: UsagePurpose) => LanguageModel } | null;
  /** Workspace actions the model may run as tools. */
  actionTools?: readonly ActionTool[];
};

const HAN = /\p{Script=Han}/u;

/**
 * One bot turn: normalise → detect language → detect handoff request → retrieve → decide → reply.
 * Pure over its ports: it writes nothing, so a turn that fails leaves no trace in the database.
 */
export async function runTurn(input: TurnInput, ports: TurnPorts, pre?: { understanding: Understanding; stages: TraceStage[] }): Promise<TurnResult> {
  const stages: TraceStage[] = [];
  const started = performance.now();
  const stage = <T>(name: string, fn: () => T, describe: (v: T) => Omit<TraceStage, 'stage' | 'ms'>): T => {
    const t0 = performance.now();
    const value = fn();
    stages.push({ stage: name, ms: round(performance.now() - t0), ...describe(value) });
    return value;
  };
  const stageAsync = async <T>(name: string, fn: () => Promise<T>, describe: (v: T) => Omit<TraceStage, 'stage' | 'ms'>): Promise<T> => {
    const { value, ms } = await timed(fn);
    stages.push({ stage: name, ms, ...describe(value) });
    return value;
  };

  const normalized = stage(
    'normalize',
    () => {
      const text = normalizeText(input.text);
      return { text, folded: foldForAnalysis(text) };
    },
    (v) => ({ summary: v.folded.slice(0, 120), output: { normalized: v.text.slice(0, 200), folded: v.folded.slice(0, 200) } }),
  );

  const lang = stage(
    'detect-language',
    () => detectLanguage(normalized.text),
    (v) => ({ score: round(v.confidence), summary: v.language, output: v }),
  );
  // A message in no clear language (emoji, an order number, an e-mail address, "ok") keeps the conversation's.
  // Chinese that reads the same in both scripts (我要退款) keeps a Traditional conversation Traditional.
  const language: Language =
    input.conversationLanguage &&
    (lang.language === 'other' || !hasLanguageSignal(normalized.text) || (lang.scriptNeutral && input.conversationLanguage === 'zh-Hant'))
      ? input.conversationLanguage
      : lang.language;

  const settings = input.settings ?? {};
  const offline = stage(
    'understand',
    () => understand(input.workspaceId, normalized.text, ports, settings, input.now, input.history),
    (u) => ({
      score: u.intent?.probability ?? u.intents[0]?.probability ?? null,
      summary: [
        u.intent ? `${u.intent.name} ${u.intent.probability}` : u.outOfScope ? 'out of scope' : u.modelVersion === null ? 'no intent model' : 'no intent',
        `${u.sentiment.label}${u.sentiment.primary !== 'none' ? `/${u.sentiment.primary}` : ''}`,
        u.trend.negativeStreak > 1 ? `${u.trend.negativeStreak} negative in a row` : null,
        u.entities.length ? u.entities.map((e) => e.type).join(',') : null,
      ]
        .filter(Boolean)
        .join(' · '),
      output: describeUnderstanding(u, { entities: 10, cues: 12 }),
    }),
  );
  // With a language model, an intent the offline model is unsure of and an uncertain mood get a second
  // opinion, both at once (`classifyTurn`). When nothing else depends on them yet — no flow waits, no
  // intent or keyword starts one, nothing hands off — the turn goes on without waiting: an answer the
  // model writes meanwhile is held back until they agree with what the turn assumed, and if they do not,
  // the turn runs again with their reading. So the two calls cost a generated answer no extra wait.
  let understanding: Understanding = pre?.understanding ?? offline;
  const assistant = assistantSettings(settings);
  const guardrails = guardrailSettings(settings);
  const afterUnderstand = stages.length;
  if (pre) stages.push(...pre.stages);
  let classify: Promise<Classification> | null =
    ports.llm && !pre ? classifyTurn(ports.llm, ports, input, normalized.text, offline, settings, guardrails.redactPii) : null;

  const handoff = stage(
    'detect-handoff-request',
    () => detectHandoffRequest(normalized.folded),
    (v) => ({ summary: v.requested ? 'requested' : 'none', output: v }),
  );
  const speculate =
    classify !== null &&
    !input.dialogue?.flow &&
    !offline.intent &&
    !handoff.requested &&
    !safetyDecision(false, offline, settings) &&
    !vipHandoff(input, settings) &&
    !ports.flows?.triggered(input.workspaceId, { intent: null, folded: normalized.folded });
  if (classify && !speculate) {
    const c = await classify;
    classify = null;
    understanding = c.understanding;
    stages.splice(afterUnderstand, 0, ...c.stages);
  }
  /**
   * Waits for a pending classification. It agrees when it found no intent and no reason to hand off:
   * its stages join the trace and null is returned. Otherwise it is returned, to run the turn again with.
   */
  const settleClassification = async (): Promise<Classification | null> => {
    if (!classify) return null;
    const c = await classify;
    classify = null;
    if (c.understanding.intent || safetyDecision(false, c.understanding, settings)) return c;
    understanding = c.understanding;
    stages.splice(afterUnderstand, 0, ...c.stages);
    return null;
  };

  const locale = replyLocaleFor(language);
  const safety = safetyDecision(handoff.requested, understanding, settings) ?? vipHandoff(input, settings);

  // Flows: a waiting flow takes the answer (or is cancelled), or the intent / a keyword starts one.
  let flow: FlowTurn = { kind: 'none' };
  const flowCtx: FlowContext | null = input.flowContext ? { ...input.flowContext, workspaceId: input.workspaceId, locale, now: input.now ?? new Date() } : null;
  if (!safety && ports.flows && flowCtx) {
    const catalog = ports.flows;
    const intentAction = understanding.intent?.action;
    flow = await stageAsync(
      'flow',
      () =>
        flowTurn(
          {
            workspaceId: input.workspaceId,
            text: normalized.text,
            folded: normalized.folded,
            entities: understanding.entities,
            intent: understanding.intent
              ? {
                  name: understanding.intent.name,
                  flowId: intentAction?.kind === 'flow' ? intentAction.flowId : null,
                  linked: intentAction?.kind === 'faq' || intentAction?.kind === 'handoff',
                }
              : null,
            active: input.dialogue?.flow ?? null,
            ctx: flowCtx,
          },
          catalog,
          ports.runAction ?? noActions,
        ),
      (f) => ({
        summary:
          f.kind === 'none'
            ? 'none'
            : f.kind === 'unfit'
              ? `${f.flow.key}: answer does not fit ${f.state.stepId}`
              : `${f.flow.key} ${f.event} → ${f.outcome.status}`,
        output:
          f.kind === 'none'
            ? { status: 'none' }
            : f.kind === 'unfit'
              ? { flow: f.flow.key, version: f.flow.version, status: 'unfit', step: f.state.stepId }
              : {
                  flow: f.flow.key,
                  version: f.flow.version,
                  event: f.event,
                  status: f.outcome.status,
                  steps: f.outcome.steps,
                  slots: summarizeSlots(f.outcome.state?.slots),
                  effects: f.outcome.effects,
                  ...(f.outcome.handoff ? { handoff: { reason: f.outcome.handoff.reason, note: f.outcome.handoff.note } } : {}),
                },
      }),
    );
  }

  // An intent that leads to an FAQ entry answers with it; the knowledge search still runs for the trace.
  const intentEntry = understanding.intent?.action?.kind === 'faq' ? ports.knowledge.entry(input.workspaceId, understanding.intent.action.faqId) : null;
  // A follow-up that only makes sense after the last answer ("那资费呢？", "how about Hong Kong?") is searched with it.
  let query: { text: string; followUp: boolean; rewritten?: boolean } = followUpQuery(normalized.text, input.dialogue?.topic ?? null, input.now ?? new Date());
  // With a language model, a message that points back ("那它呢？", "is that one in stock?") is rewritten
  // into a stand-alone question first; if that fails, the follow-up handling above stands.
  if (ports.llm && assistant.rewriteQueries && !handoff.requested && !safety && flow.kind !== 'handled' && input.dialogue?.turns.length) {
    const llm = ports.llm;
    const rewrite = await stageAsync(
      'rewrite-query',
      () =>
        rewriteQuery(llm.use?.('rewrite') ?? llm.model, normalized.text, input.dialogue ?? null, {
          timeoutMs: llm.timeoutMs,
          vault: guardrails.redactPii ? new PiiVault() : null,
        }),
      (r) => ({ summary: r.status === 'used' ? r.query.slice(0, 120) : `${r.status}: ${r.reason}`, output: r }),
    );
    if (rewrite.status === 'used') query = { text: rewrite.query, followUp: false, rewritten: true };
  }
  const retrieval = await stageAsync(
    'retrieve',
    async () => {
      if (handoff.requested || safety || flow.kind === 'handled') return null;
      const found = await retrieveKnowledge(ports, input.workspaceId, query.text, 5);
      return query.followUp ? preferFollowUp(found, normalized.folded) : found;
    },
    (v) => ({
      score: v ? round(v.confidence) : null,
      summary: v ? (v.hits[0] ? `${v.hits[0].entry.externalId ?? v.hits[0].entry.id} ${round(v.confidence)}` : 'no candidates') : 'skipped',
      output: v
        ? {
            confidence: round(v.confidence),
            ...(query.followUp ? { query: query.text.slice(0, 300), followUpOf: input.dialogue?.topic?.question.slice(0, 120) } : {}),
            ...(query.rewritten ? { query: query.text.slice(0, 300), rewritten: true } : {}),
            // Which optional lanes ran (vectors, reranker) and how they fared.
            ...(v.dense.status === 'off' ? {} : { dense: v.dense }),
            ...(v.rerank.status === 'off' ? {} : { rerank: v.rerank }),
            // Stored with every bot message: enough to explain the decision, small enough that the
            // row fits one database page (matched terms for the top three hits only).
            queryTerms: v.queryTerms.slice(0, 30),
            hits: v.hits.map((h, i) => ({
              id: h.entry.id,
              externalId: h.entry.externalId,
              question: h.entry.question.slice(0, 120),
              score: round(h.score),
              confidence: round(h.confidence),
              ...(h.similarity === undefined ? {} : { similarity: round(h.similarity) }),
              ...(h.ranks ? { ranks: h.ranks } : {}),
              ...(h.rerankScore === undefined ? {} : { rerankScore: round(h.rerankScore) }),
              coverage: round(h.coverage),
              questionCoverage: round(h.questionCoverage),
              matched: i < 3 ? h.matched.slice(0, 12) : [],
            })),
          }
        : null,
    }),
  );

  const threshold = input.answerThreshold ?? DEFAULT_ANSWER_THRESHOLD;
  // An answer that does not fit the flow's question: a question in between is answered and the flow's
  // question asked again; anything else is a wrong answer (re-asked, or after the last try, onFail).
  let flowOutcome: FlowOutcome | null = flow.kind === 'handled' ? flow.outcome : null;
  let resume: FlowMessage | null = null;
  if (flow.kind === 'unfit' && flowCtx) {
    // Inside a flow the bar is higher: a short non-answer ("不知道") must not pass for a question.
    const digression = Boolean(intentEntry) || (retrieval !== null && retrieval.hits.length > 0 && retrieval.confidence >= Math.max(threshold, DIGRESSION_MIN));
    if (digression) resume = repeatQuestion(flow.flow.parsed, flow.state, flowCtx);
    else {
      const { key, parsed } = flow.flow;
      const state = flow.state;
      flowOutcome = await stageAsync(
        'flow-retry',
        () => rejectAnswer(parsed, state, flowCtx, ports.runAction ?? noActions),
        (o) => ({ summary: `${key} → ${o.status}`, output: { flow: key, status: o.status, steps: o.steps } }),
      );
    }
  }

  const llmAnswers = Boolean(ports.llm) && assistant.answers !== 'off';
  // Not sure again: after `fallbackStreakHandoff` unanswered turns in a row a person takes over
  // instead of a second "I don't know".
  const fallbacks = settings.fallbackStreakHandoff ?? DEFAULT_FALLBACK_STREAK;
  const unsure = (confidence: number, reason: 'low_confidence' | 'no_candidates' = 'low_confidence'): Decision =>
    fallbacks > 0 && (input.fallbackStreak ?? 0) + 1 >= fallbacks
      ? { kind: 'handoff', reason: 'low_confidence', confidence }
      : { kind: 'fallback', reason, confidence };
  let decision = stage(
    'policy',
    (): Decision => {
      if (safety) return safety;
      if (flowOutcome && flow.kind !== 'none') {
        const key = flow.flow.key;
        if (flowOutcome.status === 'handoff')
          return {
            kind: 'handoff',
            reason: 'flow',
            confidence: 1,
            flow: key,
            flowReason: flowOutcome.handoff?.reason ?? 'flow',
            note: flowOutcome.handoff?.note ?? null,
            slots: flowOutcome.handoff?.slots ?? {},
          };
        const reason =
          flow.kind === 'unfit'
            ? 'flow_retry'
            : flow.event === 'cancelled'
              ? 'flow_cancelled'
              : flowOutcome.status === 'waiting'
                ? flow.event === 'started'
                  ? 'flow_started'
                  : 'flow_continued'
                : 'flow_ended';
        return { kind: 'flow', reason, confidence: 1, flow: key };
      }
      const { intent } = understanding;
      if (intent?.action?.kind === 'handoff') return { kind: 'handoff', reason: 'intent', confidence: intent.probability };
      if (intent && intentEntry) {
        const hit: KnowledgeHit = { entry: intentEntry, score: 0, confidence: intent.probability, coverage: 0, questionCoverage: 0, matched: [] };
        return { kind: 'answer', reason: 'intent_match', confidence: intent.probability, hit };
      }
      const top = retrieval?.hits[0];
      if (!retrieval || !top) {
        // Emoji, punctuation or a script we do not analyse: nothing to search with (that is not counted).
        return retrieval?.queryTerms.length ? unsure(0, 'no_candidates') : { kind: 'fallback', reason: 'unsupported_input', confidence: 0 };
      }
      if (retrieval.confidence >= threshold) {
        // Two entries about equally likely, and no model to write from both: the customer picks.
        const close = !llmAnswers && settings.clarify !== false && !query.followUp ? closeCandidates(retrieval, threshold) : null;
        if (close) return { kind: 'clarify', reason: 'close_candidates', confidence: retrieval.confidence, options: close };
        return { kind: 'answer', reason: 'knowledge_match', confidence: retrieval.confidence, hit: top };
      }
      return unsure(retrieval.confidence);
    },
    (d) => ({
      score: d.confidence,
      summary: `${d.kind}: ${d.reason}`,
      output: {
        kind: d.kind,
        reason: d.reason,
        threshold,
        ...(d.reason === 'negative_sentiment' ? { angerThreshold: settings.angerThreshold ?? DEFAULT_ANGER_THRESHOLD } : {}),
        ...(d.kind === 'handoff' && d.reason === 'low_confidence'
          ? { fallbackStreak: (input.fallbackStreak ?? 0) + 1, streakThreshold: settings.fallbackStreakHandoff ?? DEFAULT_FALLBACK_STREAK }
          : {}),
        ...(d.reason === 'negative_trend'
          ? { negativeStreak: understanding.trend.negativeStreak, streakThreshold: settings.negativeStreakHandoff ?? DEFAULT_NEGATIVE_STREAK }
          : {}),
        ...(d.reason === 'intent' || d.reason === 'intent_match' ? { intent: understanding.intent?.name } : {}),
        ...('flow' in d ? { flow: d.flow } : {}),
        ...(d.kind === 'handoff' && d.reason === 'flow' ? { flowReason: d.flowReason } : {}),
        ...(resume ? { resumesFlow: flow.kind === 'unfit' ? flow.flow.key : null } : {}),
      },
    }),
  );

  // The language model writes the answer from the best entries (settings.assistant.answers), or says
  // it cannot; when it fails, the offline decision stands and the trace says why.
  let generated: GeneratedAnswer | null = null;
  const offlineDecision = decision;
  if (llmAnswers && ports.llm && retrieval && !resume && wantsGeneration(decision, retrieval, assistant.answers)) {
    const llm = ports.llm;
    const sources = groundingSources(decision, retrieval);
    const injection = stage(
      'guard-input',
      () => detectInjection(normalized.text),
      (v) => ({
        score: round(v.score),
        summary: v.suspicious ? `suspicious: ${[...new Set(v.signals.map((x) => x.kind))].join(',')}` : 'clean',
        output: { suspicious: v.suspicious, score: round(v.score), signals: v.signals.slice(0, 5).map((x) => x.kind) },
      }),
    );
    const vault = guardrails.redactPii ? new PiiVault() : null;
    const tools =
      assistant.tools && !injection.suspicious && flowCtx ? answerTools(ports, input.workspaceId, flowCtx, input.dialogue?.flow ?? null, locale) : null;
    // While the classification is pending the answer is written but held back (see above).
    const held = classify ? new HeldSink(input.answerSink) : null;
    const abort = new AbortController();
    const writing = stageAsync(
      'generate',
      () =>
        generateAnswer(llm.use?.('answer') ?? llm.model, {
          question: normalized.text,
          locale,
          sources,
          turns: input.dialogue?.turns ?? [],
          summary: input.dialogue?.summary ?? null,
          assistant,
          guardrails,
          vault,
          tools,
          ...(input.workspaceName ? { workspaceName: input.workspaceName } : {}),
          ...(held ? { sink: held } : input.answerSink ? { sink: input.answerSink } : {}),
          signal: abort.signal,
          firstTextTimeoutMs: llm.timeoutMs * 2,
          maxRetries: 1,
        }),
      (g) => ({
        score: g.status === 'answered' ? round(retrieval.confidence) : null,
        summary:
          g.status === 'failed'
            ? `failed: ${g.reason}${g.streamed ? ' (replaced)' : ''}`
            : g.status === 'answered'
              ? `answered, cites ${g.cited.map((h) => sources.indexOf(h) + 1).join(',') || 'tools'}`
              : g.status === 'start_flow'
                ? `start flow ${g.flow}`
                : g.status,
        output: {
          status: g.status,
          model: llm.model.model,
          sources: sources.map((h) => ({ id: h.entry.id, question: h.entry.question.slice(0, 80), confidence: round(h.confidence) })),
          streamed: g.streamed,
          rounds: g.rounds,
          toolsOffered: tools ? [...tools.flows.map((f) => `flow:${f.key}`), ...tools.actions.map((a) => a.key)] : [],
          toolRuns: g.toolRuns,
          redacted: vault?.size ?? 0,
          ...(g.status === 'failed' ? { reason: g.reason, message: g.message, fallback: `${offlineDecision.kind}: ${offlineDecision.reason}` } : {}),
          ...(g.status === 'failed' && g.violations ? { violations: g.violations.map((v) => ({ kind: v.kind, text: v.text.slice(0, 80) })) } : {}),
          ...(g.status === 'answered' ? { cited: g.cited.map((h) => h.entry.id) } : {}),
        },
      }),
    );
    const disagree = await settleClassification();
    if (disagree) {
      abort.abort(new DOMException('the classification changed the turn', 'AbortError'));
      await writing.catch(() => {});
      return runTurn(input, ports, disagree);
    }
    held?.release();
    generated = await writing;
    if (generated.status === 'answered') {
      decision = {
        kind: 'answer',
        reason: 'generated',
        confidence: retrieval.confidence,
        hit: generated.cited[0] ?? null,
        text: generated.text,
        cited: generated.cited,
      };
    } else if (generated.status === 'no_answer') {
      decision = unsure(retrieval.confidence);
    } else if (generated.status === 'handoff') {
      decision = { kind: 'handoff', reason: 'assistant', confidence: 1, note: generated.reason };
    } else if (generated.status === 'start_flow' && flowCtx && ports.flows) {
      const loaded = ports.flows.get(input.workspaceId, generated.flow);
      if (loaded) {
        const outcome = await startFlow(loaded.parsed, loaded.version, understanding.entities, flowCtx, ports.runAction ?? noActions);
        flow = { kind: 'handled', event: 'started', flow: loaded, outcome };
        flowOutcome = outcome;
        decision =
          outcome.status === 'handoff'
            ? {
                kind: 'handoff',
                reason: 'flow',
                confidence: 1,
                flow: loaded.key,
                flowReason: outcome.handoff?.reason ?? 'flow',
                note: outcome.handoff?.note ?? null,
                slots: outcome.handoff?.slots ?? {},
              }
            : { kind: 'flow', reason: outcome.status === 'waiting' ? 'flow_started' : 'flow_ended', confidence: 1, flow: loaded.key };
      }
    }
  }

  {
    const disagree = await settleClassification();
    if (disagree) return runTurn(input, ports, disagree);
  }

  // Out of business hours people cannot answer now: the customer hears when they are back, and (by
  // default) a ticket is opened instead of queueing.
  const afterHours =
    decision.kind === 'handoff' && settings.businessHours && !isOpen(settings.businessHours, input.now ?? new Date())
      ? { opensAt: nextOpening(settings.businessHours, input.now ?? new Date())?.toISOString() ?? null, mode: settings.afterHours ?? 'ticket' }
      : null;
  if (afterHours) {
    stages.push({ stage: 'business-hours', ms: 0, summary: `closed; opens ${afterHours.opensAt ?? 'unknown'} → ${afterHours.mode}`, output: afterHours });
  }

  const replies = stage(
    'reply',
    (): TurnReply[] => {
      // What was streamed is this turn's first reply: as streamed, or replaced by what is sent instead.
      const stream = generated?.streamed ? (generated.status === 'answered' ? 'done' : 'replaced') : undefined;
      const mark = (r: TurnReply[]): TurnReply[] => (stream && r[0] ? [{ ...r[0], stream }, ...r.slice(1)] : r);
      if ((decision.kind === 'flow' || (decision.kind === 'handoff' && decision.reason === 'flow')) && flowOutcome) {
        const messages = flowOutcome.messages.length > 0 ? flowOutcome.messages : [{ text: REPLIES.flowDone[locale], parts: [] }];
        return mark(messages.map((m) => ({ text: m.text, parts: m.parts, locale })));
      }
      if (afterHours && settings.businessHours) {
        const time = afterHours.opensAt
          ? formatOpening(new Date(afterHours.opensAt), settings.businessHours.timeZone, locale)
          : REPLIES.afterHoursUnknown[locale];
        const text = fillReply(REPLIES[afterHours.mode === 'ticket' ? 'afterHoursTicket' : 'afterHoursQueue'][locale], { time });
        return mark([{ text, parts: [], locale }]);
      }
      const first = composeReply(decision, locale, input.channel);
      return mark(resume ? [first, { text: resume.text, parts: resume.parts, locale }] : [first]);
    },
    (r) => ({
      summary: r
        .map((x) => x.text.slice(0, 60))
        .join(' | ')
        .slice(0, 160),
      output: { locale, messages: r.length, parts: r.flatMap((x) => x.parts.map((p) => p.type)) },
    }),
  );

  const now = (input.now ?? new Date()).toISOString();
  const previous = input.dialogue ?? null;
  const dialogue: DialogueState = {
    version: 1,
    flow: decision.kind === 'handoff' ? null : (flowOutcome?.state ?? (resume && flow.kind === 'unfit' ? flow.state : null)),
    topic:
      decision.kind === 'answer' && decision.hit
        ? { entryId: decision.hit.entry.id, question: decision.hit.entry.question.slice(0, 200), query: query.text.slice(0, 300), at: now }
        : (previous?.topic ?? null),
    turns: [
      ...(previous?.turns ?? []),
      { role: 'customer' as const, text: normalized.text.slice(0, 300), at: now },
      ...replies.map((r) => ({ role: 'bot' as const, text: r.text.slice(0, 300), at: now })),
    ].slice(-RECENT_TURNS),
    summary: previous?.summary ?? null,
    customerTurns: (previous?.customerTurns ?? 0) + 1,
    ...(previous?.summaryAt ? { summaryAt: previous.summaryAt } : {}),
  };

  return {
    decision,
    language,
    understanding,
    reply: replies[0]!,
    replies,
    dialogue,
    afterHours,
    // An intent whose action is a tag labels the conversation, whatever else the turn does.
    effects: [
      ...(flowOutcome?.effects ?? []),
      ...(understanding.intent?.action?.kind === 'tag' ? [{ kind: 'add_tag' as const, tag: understanding.intent.action.tag }] : []),
    ],
    trace: {
      version: 1,
      stages,
      decision: { kind: decision.kind, reason: decision.reason, confidence: decision.confidence === null ? null : round(decision.confidence) },
      totalMs: round(performance.now() - started),
    },
  };
}

/** The language model's second opinion on a message: intent and mood, with their trace stages. */
interface Classification {
  understanding: Understanding;
  stages: TraceStage[];
}

/** Asks the model about an unsure intent and an uncertain mood at once (redacted text). Never rejects. */
async function classifyTurn(
  llm: NonNullable<TurnPorts['llm']>,
  ports: TurnPorts,
  input: TurnInput,
  text: string,
  offline: Understanding,
  settings: WorkspaceSettings,
  redact: boolean,
): Promise<Classification> {
  // What the model reads of the message: personal data replaced (settings.guardrails.redactPii).
  const llmText = redact ? new PiiVault().redact(text) : text;
  const [intentAssist, moodAssist] = await Promise.all([
    timed(() =>
      assistIntent(llm.use?.('intent') ?? llm.model, ports.intentModels?.intents(input.workspaceId) ?? new Map(), llmText, offline, {
        threshold: settings.intentThreshold ?? DEFAULT_INTENT_THRESHOLD,
        timeoutMs: llm.timeoutMs,
      }),
    ),
    timed(() => refineSentiment(llm.use?.('sentiment') ?? llm.model, llmText, offline.sentiment, { timeoutMs: llm.timeoutMs, enabled: settings.llmSentiment })),
  ]);
  const { understanding: assisted, assist } = intentAssist.value;
  const { sentiment, assist: mood } = moodAssist.value;
  return {
    understanding: { ...assisted, sentiment, trend: moodTrend(input.history ?? [], sentiment) },
    stages: [
      {
        stage: 'assist-intent',
        ms: intentAssist.ms,
        score: assisted.intent?.probability ?? null,
        summary: assist.status === 'used' ? `${assist.vote.intent ?? 'none'} ${assist.vote.confidence}` : `${assist.status}: ${assist.reason}`,
        output: { ...assist, intent: assisted.intent },
      },
      {
        stage: 'refine-sentiment',
        ms: moodAssist.ms,
        score: sentiment.polarity,
        summary: mood.status === 'used' ? `${sentiment.label} ${sentiment.polarity}` : `${mood.status}: ${mood.reason}`,
        output: { ...mood, label: sentiment.label, polarity: sentiment.polarity, emotions: sentiment.emotions },
      },
    ],
  };
}

/** Holds an answer's frames until `release` (or forever, if the answer is abandoned). */
class HeldSink implements AnswerSink {
  private locale: ReplyLocale | null = null;
  private pieces: string[] = [];
  private open = false;

  constructor(private readonly inner: AnswerSink | undefined) {}

  start(locale: ReplyLocale) {
    this.locale = locale;
    if (this.open) this.inner?.start(locale);
  }
  delta(text: string) {
    if (this.open) this.inner?.delta(text);
    else this.pieces.push(text);
  }
  release() {
    this.open = true;
    if (this.locale) this.inner?.start(this.locale);
    for (const p of this.pieces) this.inner?.delta(p);
    this.pieces = [];
  }
}

/** When people are back, as the customer reads it: 11月23日 周一 09:00 / Mon, Nov 23, 09:00 (the workspace's time zone). */
function formatOpening(at: Date, timeZone: string, locale: ReplyLocale): string {
  const tag = locale === 'zh-Hans' ? 'zh-CN' : locale === 'zh-Hant' ? 'zh-TW' : 'en-US';
  return new Intl.DateTimeFormat(tag, {
    timeZone,
    month: 'short',
    day: 'numeric',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}

/** A VIP contact (settings.vip: an attribute holding one of the values) goes to people at once, unless `handoff: false`. */
export function isVip(attributes: Record<string, unknown> | undefined, vip: WorkspaceSettings['vip']): boolean {
  if (!vip || !attributes) return false;
  const v = attributes[vip.attribute];
  return (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') && vip.values.includes(String(v));
}
function vipHandoff(input: TurnInput, settings: WorkspaceSettings): Decision | null {
  return settings.vip && settings.vip.handoff !== false && isVip(input.flowContext?.contact.attributes, settings.vip)
    ? { kind: 'handoff', reason: 'vip', confidence: 1 }
    : null;
}

/** Hand-offs that come before anything else: the customer asked, threatened a regulator, is angry or unhappy turn after turn. */
function safetyDecision(requested: boolean, understanding: Understanding, settings: WorkspaceSettings): Decision | null {
  if (requested) return { kind: 'handoff', reason: 'customer_request', confidence: null };
  const { sentiment, trend } = understanding;
  if (sentiment.regulatorThreat && settings.handoffOnRegulatorThreat !== false) return { kind: 'handoff', reason: 'regulator_threat', confidence: 1 };
  const angerThreshold = settings.angerThreshold ?? DEFAULT_ANGER_THRESHOLD;
  if (angerThreshold > 0 && sentiment.label === 'negative' && sentiment.emotions.anger >= angerThreshold)
    return { kind: 'handoff', reason: 'negative_sentiment', confidence: sentiment.emotions.anger };
  // Not angry enough in any one message, but unhappy turn after turn: the bot is not helping.
  const streak = settings.negativeStreakHandoff ?? DEFAULT_NEGATIVE_STREAK;
  if (streak > 0 && trend.negativeStreak >= streak) return { kind: 'handoff', reason: 'negative_trend', confidence: 1 };
  return null;
}

/** Han characters, or at least two words of letters only (codes, numbers and addresses do not count). */
function hasLanguageSignal(text: string): boolean {
  if (HAN.test(text)) return true;
  return text.split(/\s+/).filter((w) => /^[\p{L}'’-]{2,}[.,!?]*$/u.test(w)).length >= 2;
}

/** Retrieval confidence a message needs, while a flow waits for an answer, to be answered as a question in between. */
const DIGRESSION_MIN = 0.5;

/** Turns kept in the dialogue state. */
const RECENT_TURNS = 8;
/** A follow-up refers to an answer at most this old. */
const FOLLOW_UP_WINDOW_MS = 30 * 60_000;
const ELLIPTICAL_ZH = /^(?:那|那么|那如果|如果是|还有|另外|那个)|呢[?？。!！\s]*$/u;
const ELLIPTICAL_EN = /^(?:(?:and |but )?(?:what|how) about|and|what if|also|what else)\b/i;

/**
 * The query for a message that only makes sense after the last answer: short, and opening like a
 * follow-up ("那…", "…呢？", "how about…", "and…"); the last question is prepended.
 */
export function followUpQuery(text: string, topic: DialogueState['topic'], now: Date): { text: string; followUp: boolean } {
  if (!topic || now.getTime() - Date.parse(topic.at) > FOLLOW_UP_WINDOW_MS) return { text, followUp: false };
  const han = (text.match(/\p{Script=Han}/gu) ?? []).length;
  const words = text.split(/\s+/).filter(Boolean).length;
  const short = han > 0 ? han <= 14 : words <= 7;
  const elliptical = han > 0 ? ELLIPTICAL_ZH.test(text.trim()) : ELLIPTICAL_EN.test(text.trim());
  return short && elliptical ? { text: `${topic.query} ${text}`, followUp: true } : { text, followUp: false };
}

const FOLLOW_UP_MARKERS = /^(?:(?:and |but )?(?:what|how) about|and|what if|also|what else|那么|那如果|如果是|那个|还有|另外|那)|[呢吗嗎?？。!！\s]+$/giu;
const EN_STOP = new Set(['the', 'for', 'you', 'your', 'with', 'about', 'what', 'how', 'and']);

/**
 * Searched with the previous question, a follow-up still asks about its own words: hits whose
 * question holds them ("资费", "hong kong") come first, so "那资费呢？" after roaming finds roaming fees,
 * not how to switch roaming on again.
 */
function preferFollowUp(found: Retrieval, folded: string): Retrieval {
  const rest = folded.replace(FOLLOW_UP_MARKERS, '').trim();
  const han = rest.replace(/[^\p{Script=Han}]/gu, '');
  const terms =
    han.length >= 2
      ? Array.from({ length: han.length - 1 }, (_, i) => han.slice(i, i + 2))
      : rest.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 3 && !EN_STOP.has(w));
  if (terms.length === 0) return found;
  const mentions = (h: KnowledgeHit) => {
    const q = foldForAnalysis(normalizeText(h.entry.question));
    return terms.some((t) => q.includes(t));
  };
  const preferred = found.hits.filter(mentions);
  if (preferred.length === 0) return found;
  const hits = [...preferred, ...found.hits.filter((h) => !mentions(h))];
  // The combined query's confidence stands for the context both share; the hit moved up also holds
  // the follow-up's own words, so it is at least as well grounded.
  const confidence = Math.max(found.confidence, preferred[0]!.confidence);
  return { ...found, hits: [{ ...hits[0]!, confidence }, ...hits.slice(1)], confidence };
}

/** Slot values as the trace shows them: short, no nested payloads. */
function summarizeSlots(slots: Record<string, unknown> | undefined) {
  if (!slots) return {};
  return Object.fromEntries(
    Object.entries(slots)
      .slice(0, 20)
      .map(([k, v]) => [k, v !== null && typeof v === 'object' ? '[object]' : typeof v === 'string' ? v.slice(0, 100) : v]),
  );
}

/** Retrieval confidence from which an FAQ entry is a clear match that `auto` sends as written. */
const CLEAR_MATCH = 0.8;
/** Entries below this confidence are not shown to the model as sources. */
const SOURCE_FLOOR = 0.1;
const MAX_SOURCES = 5;

/**
 * Whether the model writes this turn's answer: `always` for every knowledge answer; `auto` for document
 * passages, entries that are not a clear match, and questions the offline path could not answer but
 * has candidates for (the model may find the answer in them, or say it cannot).
 */
function wantsGeneration(decision: Decision, retrieval: Retrieval, mode: 'off' | 'auto' | 'always'): boolean {
  if (mode === 'off' || retrieval.hits.length === 0) return false;
  if (decision.kind === 'answer' && decision.reason === 'knowledge_match')
    return mode === 'always' || decision.hit.entry.kind !== 'faq' || decision.confidence < CLEAR_MATCH;
  return (decision.kind === 'fallback' || decision.kind === 'handoff') && decision.reason === 'low_confidence';
}

/** The entries the model may answer from: the decided one first, then the next best above the floor. */
function groundingSources(decision: Decision, retrieval: Retrieval): KnowledgeHit[] {
  const hits = retrieval.hits.filter((h) => h.confidence >= SOURCE_FLOOR);
  const first = decision.kind === 'answer' && decision.hit ? decision.hit : null;
  return (first ? [first, ...hits.filter((h) => h.entry.id !== first.entry.id)] : hits).slice(0, MAX_SOURCES);
}

/** Two entries this close, both above the threshold, about different questions: ask which one. */
const CLOSE_GAP = 0.04;
function closeCandidates(retrieval: Retrieval, threshold: number): KnowledgeHit[] | null {
  const [a, b] = retrieval.hits;
  if (!a || !b || b.confidence < threshold || a.confidence - b.confidence > CLOSE_GAP) return null;
  if (a.entry.kind !== 'faq' || b.entry.kind !== 'faq') return null;
  const options = retrieval.hits.filter((h) => h.entry.kind === 'faq' && a.confidence - h.confidence <= CLOSE_GAP && h.confidence >= threshold).slice(0, 3);
  return options.length >= 2 ? options : null;
}

/** What the model may do besides answering: start one of the workspace's flows, run actions marked as tools. */
function answerTools(ports: TurnPorts, workspaceId: string, ctx: FlowContext, active: FlowState | null, locale: ReplyLocale): AnswerTools {
  const run = ports.runAction ?? noActions;
  return {
    // No flow starts from the model while one waits for an answer.
    flows: active
      ? []
      : (ports.flows?.list(workspaceId) ?? []).map((f) => ({
          key: f.key,
          description: [localizeText(f.parsed.definition.name, locale), f.parsed.definition.description].filter(Boolean).join(' — ').slice(0, 300),
        })),
    actions: [...(ports.actionTools ?? [])],
    async runAction(key, args) {
      const r = await run(key, args, {
        idempotencyKey: `${ctx.conversationId}:${key}:${JSON.stringify(args)}`.slice(0, 200),
        scope: { contact: ctx.contact, conversation: ctx.conversation, slots: {} },
      });
      return r.ok ? { ok: true, data: r.data } : { ok: false, error: r.error, message: r.message };
    },
  };
}

const noActions: RunAction = async (key) => ({ ok: false, error: 'not_found', message: `no action ${key}` });

function sourceOf(hit: KnowledgeHit) {
  const { entry } = hit;
  return {
    id: entry.id,
    externalId: entry.externalId,
    title: entry.question,
    kind: entry.kind,
    ...(entry.source ? { documentId: entry.source.documentId } : {}),
  };
}

function composeReply(decision: Decision, locale: ReplyLocale, channel: string | undefined): TurnReply {
  switch (decision.kind) {
    case 'answer': {
      if (decision.reason === 'generated') {
        const sources = decision.cited.map((h) => sourceOf(h));
        return { text: decision.text, locale, parts: sources.length ? [{ type: 'sources', sources }] : [] };
      }
      const { entry } = decision.hit;
      const variant = pickVariant(entry.variants, locale, channel);
      // Customers who write Traditional get Traditional answers unless the entry has its own zh-TW text.
      const base = variant?.answer ?? entry.answer;
      const text = locale === 'zh-Hant' && variant?.language !== 'zh-TW' ? traditional(base) : base;
      return {
        text,
        locale,
        parts: [{ type: 'sources', sources: [sourceOf(decision.hit)] }],
      };
    }
    case 'clarify':
      return {
        text: REPLIES.clarify[locale],
        locale,
        parts: [
          {
            type: 'quick_replies',
            options: decision.options.map((h) => {
              const q = locale === 'zh-Hant' ? traditional(h.entry.question) : h.entry.question;
              return { label: q.slice(0, 80), value: q.slice(0, 500) };
            }),
          },
        ],
      };
    case 'handoff': {
      const key =
        decision.reason === 'low_confidence'
          ? 'handoffUnsure'
          : decision.reason === 'negative_sentiment' || decision.reason === 'negative_trend' || decision.reason === 'regulator_threat'
            ? 'handoffUpset'
            : 'handoff';
      return { text: REPLIES[key][locale], locale, parts: [] };
    }
    case 'flow':
      // Flow turns reply with the flow's own messages; this is only reached if a flow said nothing.
      return { text: REPLIES.flowDone[locale], locale, parts: [] };
    case 'fallback':
      return {
        text: REPLIES.fallback[locale],
        locale,
        parts: [{ type: 'quick_replies', options: [{ label: REPLIES.talkToHuman[locale], value: REPLIES.talkToHuman[locale] }] }],
      };
  }
}

const LOCALE_LANGUAGE = { 'zh-Hans': 'zh-CN', 'zh-Hant': 'zh-TW', en: 'en' } as const;

/** The most specific variant: language and channel, then channel, then language; else the main answer. */
export function pickVariant(variants: readonly AnswerVariant[], locale: ReplyLocale, channel: string | undefined): AnswerVariant | undefined {
  const language = LOCALE_LANGUAGE[locale];
  const fits = (v: AnswerVariant) => (!v.language || v.language === language) && (!v.channel || v.channel === channel);
  const rank = (v: AnswerVariant) => (v.language ? 1 : 0) + (v.channel ? 2 : 0);
  return variants.filter(fits).sort((a, b) => rank(b) - rank(a))[0];
}

const round = (n: number) => Math.round(n * 1000) / 1000;

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: round(performance.now() - t0) };
}
