import type { Language } from '@kefu/protocol';

/** The languages the bot writes in; `other` is answered in English. */
export type ReplyLocale = 'zh-Hans' | 'zh-Hant' | 'en';

export const replyLocaleFor = (lang: Language | null | undefined): ReplyLocale =>
  lang === 'zh-Hans' || lang === 'zh-Hant' ? lang : lang === 'en' ? 'en' : 'zh-Hans';

/** Bot templates. Text shown to customers lives here, never as literals in the pipeline. */
export const REPLIES = {
  fallback: {
    'zh-Hans': '抱歉，我暂时没有找到这个问题的答案。您可以换个说法再问一次，或者回复“转人工”，我帮您联系人工客服。',
    'zh-Hant': '抱歉，我暫時沒有找到這個問題的答案。您可以換個說法再問一次，或者回覆「轉人工」，我幫您聯繫人工客服。',
    en: 'Sorry, I couldn\'t find an answer to that. You can rephrase your question, or reply "agent" and I\'ll get a colleague to help you.',
  },
  /** The best entries are too close to choose: buttons follow. */
  clarify: {
    'zh-Hans': '您想问的是下面哪一个问题？',
    'zh-Hant': '您想問的是下面哪一個問題？',
    en: 'Which of these do you mean?',
  },
  /** A hand-off out of business hours, a ticket instead: {time} when people are back. */
  afterHoursTicket: {
    'zh-Hans': '现在是非工作时间，人工客服将于 {time} 上班。我已为您登记工单，客服上班后会第一时间跟进。',
    'zh-Hant': '現在是非工作時間，真人客服將於 {time} 上班。我已為您登記工單，客服上班後會第一時間跟進。',
    en: "Our team is away right now and back at {time}. I've opened a ticket so they can follow up first thing.",
  },
  /** A hand-off out of business hours, queued anyway: {time}. */
  afterHoursQueue: {
    'zh-Hans': '现在是非工作时间，人工客服将于 {time} 上班，届时会按顺序为您服务。',
    'zh-Hant': '現在是非工作時間，真人客服將於 {time} 上班，屆時會依序為您服務。',
    en: "Our team is away right now and back at {time}. You're in the queue and they'll reply then.",
  },
  /** When nobody knows when people are back (no opening within a year). */
  afterHoursUnknown: { 'zh-Hans': '下个工作日', 'zh-Hant': '下個工作日', en: 'the next working day' },
  /** An agent took the conversation: {name}. */
  agentJoined: {
    'zh-Hans': '客服 {name} 已接入，正在为您服务。',
    'zh-Hant': '客服 {name} 已接入，正在為您服務。',
    en: '{name} from our team has joined the conversation.',
  },
  /** An agent gave the conversation to a colleague: {name}. */
  transferredToAgent: {
    'zh-Hans': '已为您转接给客服 {name}，请稍候。',
    'zh-Hant': '已為您轉接給客服 {name}，請稍候。',
    en: "You've been transferred to {name}, who will be with you shortly.",
  },
  /** Given to a team with someone online: {team}. */
  transferredToTeam: {
    'zh-Hans': '已为您转接到{team}，请稍候，客服马上为您服务。',
    'zh-Hant': '已為您轉接到{team}，請稍候，客服馬上為您服務。',
    en: "You've been transferred to our {team} team; someone will be with you shortly.",
  },
  /** Given to a team nobody of which is online: {team}. */
  transferredToTeamOffline: {
    'zh-Hans': '已为您转接到{team}。该组暂时没有在线客服，您的对话已保留在排队中，有人上线后会第一时间回复您。',
    'zh-Hant': '已為您轉接到{team}。該組暫時沒有在線客服，您的對話已保留在排隊中，有人上線後會第一時間回覆您。',
    en: "You've been transferred to our {team} team. No one there is online right now; your conversation stays in the queue and they'll reply as soon as someone is back.",
  },
  /** Waiting in the queue: {position} ahead of them incl. this one, {minutes} expected. */
  queuePosition: {
    'zh-Hans': '您已进入人工排队，当前排在第 {position} 位，预计等待约 {minutes} 分钟。',
    'zh-Hant': '您已進入真人排隊，目前排在第 {position} 位，預計等待約 {minutes} 分鐘。',
    en: "You're number {position} in the queue; the expected wait is about {minutes} min.",
  },
  /** Waiting, and no agent is online who could take it. */
  queueNoAgents: {
    'zh-Hans': '您已进入人工排队，当前排在第 {position} 位，客服上线后会尽快回复您。',
    'zh-Hant': '您已進入真人排隊，目前排在第 {position} 位，客服上線後會盡快回覆您。',
    en: "You're number {position} in the queue; someone will reply as soon as a colleague is online.",
  },
  /** A ticket was opened for the customer's conversation: {number}, {subject}. */
  ticketCreated: {
    'zh-Hans': '已为您创建工单 #{number}：{subject}。处理进展会在这里通知您。',
    'zh-Hant': '已為您建立工單 #{number}：{subject}。處理進度會在這裡通知您。',
    en: "I've opened ticket #{number} for you: {subject}. You'll hear about progress right here.",
  },
  /** The ticket's status changed: {number}, {status}. */
  ticketStatus: {
    'zh-Hans': '工单 #{number} 状态更新：{status}。',
    'zh-Hant': '工單 #{number} 狀態更新：{status}。',
    en: 'Ticket #{number} is now {status}.',
  },
  /** A public reply on the ticket: {number}, {body}. */
  ticketComment: {
    'zh-Hans': '工单 #{number} 有新回复：{body}',
    'zh-Hant': '工單 #{number} 有新回覆：{body}',
    en: 'New reply on ticket #{number}: {body}',
  },
  handoff: {
    'zh-Hans': '好的，正在为您转接人工客服，请稍候，客服人员会尽快回复您。',
    'zh-Hant': '好的，正在為您轉接人工客服，請稍候，客服人員會盡快回覆您。',
    en: "Sure — I'm connecting you with a member of our team. Please hold on, someone will reply shortly.",
  },
  /** The bot hands off on its own: it could not answer again. */
  handoffUnsure: {
    'zh-Hans': '这个问题我暂时答不好，已为您转接人工客服，请稍候，客服人员会尽快回复您。',
    'zh-Hant': '這個問題我暫時答不好，已為您轉接人工客服，請稍候，客服人員會盡快回覆您。',
    en: "I'm not able to answer that well, so I'm connecting you with a member of our team. Someone will reply shortly.",
  },
  /** The bot hands off on its own: the customer is upset or threatens to complain. */
  handoffUpset: {
    'zh-Hans': '非常抱歉给您带来不好的体验，已为您优先转接人工客服，请稍候。',
    'zh-Hant': '非常抱歉給您帶來不好的體驗，已為您優先轉接人工客服，請稍候。',
    en: "I'm very sorry for the trouble. I'm connecting you with a member of our team right away.",
  },
  /** A flow's answer did not fit and the step has no message of its own. */
  flowInvalid: {
    'zh-Hans': '抱歉，这个回答我没能识别。',
    'zh-Hant': '抱歉，這個回答我沒能識別。',
    en: "Sorry, I couldn't use that answer.",
  },
  /** Before asking a flow's question again after the customer asked something else. */
  flowResume: {
    'zh-Hans': '我们继续刚才的步骤：',
    'zh-Hant': '我們繼續剛才的步驟：',
    en: "Let's continue where we were: ",
  },
  /** A flow ended without a closing message of its own. */
  flowDone: {
    'zh-Hans': '好的，已为您处理完毕。还有其他可以帮您的吗？',
    'zh-Hant': '好的，已為您處理完畢。還有其他可以幫您的嗎？',
    en: 'All done. Is there anything else I can help with?',
  },
  flowCancelled: {
    'zh-Hans': '好的，已为您取消。还有其他可以帮您的吗？',
    'zh-Hant': '好的，已為您取消。還有其他可以幫您的嗎？',
    en: "OK, I've cancelled that. Is there anything else I can help with?",
  },
  talkToHuman: {
    'zh-Hans': '转人工',
    'zh-Hant': '轉人工',
    en: 'Talk to an agent',
  },
} as const satisfies Record<string, Record<ReplyLocale, string>>;

/** Quick replies of a yes/no question in a flow. */
export const YES_NO: Record<ReplyLocale, readonly [string, string]> = {
  'zh-Hans': ['是', '否'],
  'zh-Hant': ['是', '否'],
  en: ['Yes', 'No'],
};

/** Ticket statuses as customers read them. */
export const TICKET_STATUS_NAMES: Record<'new' | 'open' | 'pending' | 'solved' | 'closed', Record<ReplyLocale, string>> = {
  new: { 'zh-Hans': '已受理', 'zh-Hant': '已受理', en: 'received' },
  open: { 'zh-Hans': '处理中', 'zh-Hant': '處理中', en: 'in progress' },
  pending: { 'zh-Hans': '等待您的回复', 'zh-Hant': '等待您的回覆', en: 'waiting for your reply' },
  solved: { 'zh-Hans': '已解决', 'zh-Hant': '已解決', en: 'solved' },
  closed: { 'zh-Hans': '已关闭', 'zh-Hant': '已關閉', en: 'closed' },
};

/** A catalogue text with its {placeholders} filled. */
export const fillReply = (template: string, values: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
