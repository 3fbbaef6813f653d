import { type MouseEvent, useCallback, useSyncExternalStore } from 'react';
import { type FilterId, filterById } from '../lib/conversation-filters';

/**
 * The console's routes; the server sends index.html for every path under /app/.
 *
 *   /app/                          inbox (`?filter=<id>`)
 *   /app/c/<conversation id>       inbox with a conversation open
 *   /app/knowledge                 FAQ list (`?q=&status=&audience=&category=&tag=`)
 *   /app/knowledge/faq/new         new FAQ entry
 *   /app/knowledge/faq/<id>        FAQ editor
 *   /app/knowledge/import          import files, imported documents
 *   /app/knowledge/review          FAQ entries flagged for review
 *   /app/knowledge/test            test retrieval (`?q=&audience=`)
 *   /app/knowledge/synonyms        synonym groups
 *   /app/knowledge/dictionary      user dictionary
 *   /app/understanding             intents (`?q=`), import and export, whether the model is up to date
 *   /app/understanding/intent/new  new intent
 *   /app/understanding/intent/<id> intent editor
 *   /app/understanding/training    train the intent model: progress, runs, held-out evaluation (`?run=<id>`)
 *   /app/understanding/try         what the bot understands in a message (`?q=`)
 *   /app/automation                flows: name, key, enabled, version, triggers
 *   /app/automation/flow/new       new flow from a template (`?template=<id>`)
 *   /app/automation/flow/<id>      flow page: diagram, YAML editor with checks, versions, export
 *   /app/automation/actions        HTTP actions the flows call
 *   /app/automation/action/new     new action
 *   /app/automation/action/<id>    action editor with a test call
 *   /app/settings                  bot settings: answering, hand-off and thresholds, guardrails, greeting
 *   /app/settings/sla              SLA targets per priority for conversations and tickets, warning point
 *   /app/settings/usage            language model usage by day and purpose (`?days=7|30|90`)
 *   /app/settings/replies          canned replies: shared ones and my own, with variables (`?q=`)
 *   /app/settings/teams            teams: members and who is online; admins create, edit and delete
 *   /app/tickets                   tickets (`?status=open|solved|closed|all&assignee=me|none&team=<id>|none`)
 *   /app/tickets/new               new ticket (`?conversation=<id>` links it)
 *   /app/tickets/<id>              ticket: status, priority, assignee, team, linked conversation, comments
 */
const BASE = import.meta.env.BASE_URL.replace(/\/$/, '');

export type Section = 'inbox' | 'tickets' | 'knowledge' | 'understanding' | 'automation' | 'settings';
export type KnowledgeTab = 'faq' | 'import' | 'review' | 'test' | 'synonyms' | 'dictionary';
export const KNOWLEDGE_TABS: readonly KnowledgeTab[] = ['faq', 'import', 'review', 'test', 'synonyms', 'dictionary'];
export type UnderstandingTab = 'intents' | 'training' | 'try';
export const UNDERSTANDING_TABS: readonly UnderstandingTab[] = ['intents', 'training', 'try'];
export type AutomationTab = 'flows' | 'actions';
export const AUTOMATION_TABS: readonly AutomationTab[] = ['flows', 'actions'];
export type SettingsTab = 'bot' | 'sla' | 'usage' | 'replies' | 'teams' | 'channels';
export const SETTINGS_TABS: readonly SettingsTab[] = ['bot', 'sla', 'usage', 'replies', 'teams', 'channels'];

export interface Route {
  section: Section;
  conversationId: string | null;
  filter: FilterId;
  tab: KnowledgeTab;
  /** The FAQ entry open in the editor; `new` for the create form. */
  faqId: string | null;
  /** The tab of the Understanding section. */
  nluTab: UnderstandingTab;
  /** The intent open in the editor; `new` for the create form. */
  intentId: string | null;
  /** The tab of the Automation section. */
  automationTab: AutomationTab;
  /** The flow open on its page, or the action open in the editor; `new` for the create forms. */
  flowId: string | null;
  actionId: string | null;
  /** The tab of the Bot settings section. */
  settingsTab: SettingsTab;
  /** The ticket open in the Tickets section; `new` for the create form. */
  ticketId: string | null;
  /** The query string, for pages that keep their state in the address (filters, test query). */
  params: URLSearchParams;
  /** path + query; two routes with the same key are the same place. */
  key: string;
}

export type InboxRoute = Pick<Route, 'conversationId' | 'filter'>;

function parse(): Route {
  const path = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : location.pathname;
  const params = new URLSearchParams(location.search);
  const base: Route = {
    section: 'inbox',
    conversationId: null,
    filter: 'all',
    tab: 'faq',
    faqId: null,
    nluTab: 'intents',
    intentId: null,
    automationTab: 'flows',
    flowId: null,
    actionId: null,
    settingsTab: 'bot',
    ticketId: null,
    params,
    key: location.pathname + location.search,
  };
  const kb = /^\/knowledge(?:\/([^/]+)(?:\/([^/]+))?)?\/?$/.exec(path);
  if (kb) {
    const tab = (KNOWLEDGE_TABS as readonly string[]).includes(kb[1] ?? '') ? (kb[1] as KnowledgeTab) : 'faq';
    return { ...base, section: 'knowledge', tab, faqId: tab === 'faq' && kb[2] ? decodeURIComponent(kb[2]) : null };
  }
  const nlu = /^\/understanding(?:\/([^/]+)(?:\/([^/]+))?)?\/?$/.exec(path);
  if (nlu) {
    if (nlu[1] === 'intent' && nlu[2]) return { ...base, section: 'understanding', nluTab: 'intents', intentId: decodeURIComponent(nlu[2]) };
    const nluTab = (UNDERSTANDING_TABS as readonly string[]).includes(nlu[1] ?? '') ? (nlu[1] as UnderstandingTab) : 'intents';
    return { ...base, section: 'understanding', nluTab };
  }
  const auto = /^\/automation(?:\/([^/]+)(?:\/([^/]+))?)?\/?$/.exec(path);
  if (auto) {
    const id = auto[2] ? decodeURIComponent(auto[2]) : null;
    if (auto[1] === 'flow' && id) return { ...base, section: 'automation', automationTab: 'flows', flowId: id };
    if (auto[1] === 'action' && id) return { ...base, section: 'automation', automationTab: 'actions', actionId: id };
    return { ...base, section: 'automation', automationTab: auto[1] === 'actions' ? 'actions' : 'flows' };
  }
  const settings = /^\/settings(?:\/([^/]+))?\/?$/.exec(path);
  if (settings) {
    const settingsTab = (SETTINGS_TABS as readonly string[]).includes(settings[1] ?? '') ? (settings[1] as SettingsTab) : 'bot';
    return { ...base, section: 'settings', settingsTab };
  }
  const tickets = /^\/tickets(?:\/([^/]+))?\/?$/.exec(path);
  if (tickets) return { ...base, section: 'tickets', ticketId: tickets[1] ? decodeURIComponent(tickets[1]) : null };
  const m = /^\/c\/([^/]+)/.exec(path);
  return { ...base, conversationId: m ? decodeURIComponent(m[1]!) : null, filter: filterById(params.get('filter')).id };
}

let current = parse();
const listeners = new Set<() => void>();

function notify() {
  const next = parse();
  if (next.key === current.key) return;
  current = next;
  for (const fn of listeners) fn();
}

function subscribe(fn: () => void) {
  listeners.add(fn);
  if (listeners.size === 1) window.addEventListener('popstate', notify);
  return () => {
    listeners.delete(fn);
    if (listeners.size === 0) window.removeEventListener('popstate', notify);
  };
}

/** Asked before an in-app navigation leaves the page; returning false stays (unsaved edits). */
let guard: (() => boolean) | null = null;

export function setNavigationGuard(fn: (() => boolean) | null) {
  guard = fn;
}

export function navigateTo(href: string, opts?: { replace?: boolean; force?: boolean }) {
  if (href === location.pathname + location.search) return;
  if (!opts?.force && guard && !guard()) return;
  if (opts?.replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  notify();
}

export function hrefFor(route: InboxRoute) {
  const path = route.conversationId ? `${BASE}/c/${encodeURIComponent(route.conversationId)}` : `${BASE}/`;
  return route.filter === 'all' ? path : `${path}?filter=${route.filter}`;
}

export function knowledgeHref(tab: KnowledgeTab = 'faq', opts: { faqId?: string; query?: Record<string, string | null | undefined> } = {}) {
  let path = `${BASE}/knowledge`;
  if (tab === 'faq' && opts.faqId) path += `/faq/${encodeURIComponent(opts.faqId)}`;
  else if (tab !== 'faq') path += `/${tab}`;
  return withQuery(path, opts.query);
}

export function understandingHref(tab: UnderstandingTab = 'intents', opts: { intentId?: string; query?: Record<string, string | null | undefined> } = {}) {
  let path = `${BASE}/understanding`;
  if (tab === 'intents' && opts.intentId) path += `/intent/${encodeURIComponent(opts.intentId)}`;
  else if (tab !== 'intents') path += `/${tab}`;
  return withQuery(path, opts.query);
}

export function automationHref(
  tab: AutomationTab = 'flows',
  opts: { flowId?: string; actionId?: string; query?: Record<string, string | null | undefined> } = {},
) {
  let path = `${BASE}/automation`;
  if (tab === 'flows' && opts.flowId) path += `/flow/${encodeURIComponent(opts.flowId)}`;
  else if (tab === 'actions' && opts.actionId) path += `/action/${encodeURIComponent(opts.actionId)}`;
  else if (tab === 'actions') path += '/actions';
  return withQuery(path, opts.query);
}

export function settingsHref(tab: SettingsTab = 'bot', query?: Record<string, string | null | undefined>) {
  return withQuery(tab === 'bot' ? `${BASE}/settings` : `${BASE}/settings/${tab}`, query);
}

export function ticketsHref(opts: { ticketId?: string; query?: Record<string, string | null | undefined> } = {}) {
  return withQuery(opts.ticketId ? `${BASE}/tickets/${encodeURIComponent(opts.ticketId)}` : `${BASE}/tickets`, opts.query);
}

function withQuery(path: string, query: Record<string, string | null | undefined> = {}) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export const inboxHref = () => `${BASE}/`;

export function useRoute(): [Route, (next: Partial<InboxRoute>, opts?: { replace?: boolean }) => void] {
  const route = useSyncExternalStore(subscribe, () => current);
  const navigate = useCallback((next: Partial<InboxRoute>, opts?: { replace?: boolean }) => {
    navigateTo(hrefFor({ conversationId: current.conversationId, filter: current.filter, ...next }), opts);
  }, []);
  return [route, navigate];
}

/** For `<a href>` elements: plain clicks navigate in the app, modified clicks open a tab as usual. */
export function followLink(e: MouseEvent<HTMLAnchorElement>, opts?: { replace?: boolean }) {
  if (e.defaultPrevented || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || e.button !== 0) return;
  e.preventDefault();
  navigateTo(e.currentTarget.getAttribute('href') ?? '/', opts);
}
