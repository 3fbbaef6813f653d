import type { Locale } from '@kefu/protocol';

export type { Locale };

export const LOCALES: readonly Locale[] = ['zh-CN', 'zh-TW', 'en'];

/** Each language names itself, so the picker reads the same whatever language is active. */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = { 'zh-CN': '简体中文', 'zh-TW': '繁體中文', en: 'English' };

const zhCN = {
  'page.title': '云朵商城 · 智能客服演示',
  'page.brand': '云朵商城',
  'page.brandSub': 'Cloud Mall',
  'page.language': '语言',
  'page.skipToChat': '跳到在线客服',
  'page.demoBadge': '演示',
  'page.heroTitle': '好物轻松买，有问题随时问',
  'page.heroText': '这是一家虚构的网上商城，用来演示 kefu 开源智能客服：机器人根据商城的知识库回答运费、退换货、发票、积分等问题，答不了的会转给人工客服。',
  'page.feature1Title': '满 99 元包邮',
  'page.feature1Text': '中国大陆地区订单实付满 99 元免运费。',
  'page.feature2Title': '7 天无理由退货',
  'page.feature2Text': '签收后 7 天内可在线申请退货退款。',
  'page.feature3Title': '正品保障',
  'page.feature3Text': '全部商品官方授权，支持开具电子发票。',
  'page.tryTitle': '试一试',
  'page.tryText': '点击下面的问题，或者在右侧直接输入：',
  'page.try1': '运费多少钱？',
  'page.try2': '怎么申请退货退款？',
  'page.try3': '转人工',
  'page.agentTip': '转人工之后，客服可以在工作台（/app/）回复，消息会实时出现在对话里。',
  'page.consoleLink': '打开客服工作台',
  'page.footer': '由 kefu 开源智能客服驱动 · 演示数据，非真实商店',

  'chat.title': '在线客服',
  'chat.newConversation': '新对话',
  'chat.newConversationLabel': '开始新的对话',
  'chat.logLabel': '对话记录',
  'chat.inputLabel': '输入消息',
  'chat.placeholder': '请输入您的问题…',
  'chat.hint': 'Enter 发送，Shift + Enter 换行',
  'chat.send': '发送',
  'chat.thinking': '智能助手正在思考…',
  'chat.agentTyping': '{name} 正在输入…',
  'chat.starting': '正在连接客服…',
  'chat.quickReplies': '推荐问题',
  'chat.sources': '来源：',
  'chat.sourceSeparator': '、',
  'chat.sending': '发送中…',
  'chat.failed': '发送失败',
  'chat.retry': '重试',
  'chat.dismiss': '关闭提示',
  'chat.reconnecting': '连接已断开，正在重新连接…',
  'chat.said': '{name}：',
  'chat.statusLabel': '会话状态',
  'chat.attach': '发送图片或文件',
  'chat.dropHere': '松开即可发送',
  'chat.uploading': '正在发送 {name}',
  'chat.cancelUpload': '取消发送',
  'chat.openImage': '查看原图：{name}',

  'author.contact': '我',
  'author.bot': '智能助手',
  'author.agent': '人工客服',
  'author.system': '系统消息',
  'author.note': '备注',

  'status.bot': '智能助手在线',
  'status.queued': '排队中',
  'status.assigned': '人工客服',
  'status.resolved': '已解决',
  'status.closed': '已结束',

  'notice.queued': '正在为您转接人工客服…',
  'notice.assigned': '客服 {name} 已加入对话',
  'notice.assignedAnonymous': '人工客服已加入对话',
  'notice.released': '已切换回智能助手',
  'notice.resolved': '本次对话已结束，如有其他问题，可以继续留言。',
  'notice.closed': '本次对话已关闭，继续留言将重新开启对话。',

  'error.title': '出错了',
  'error.MESSAGE_TOO_LONG': '消息太长了，请删减后再发送。',
  'error.VALIDATION_FAILED': '消息内容无效，请检查后再发送。',
  'error.TEXT_MALFORMED_UNICODE': '消息中有无法识别的字符，请删除后再发送。',
  'error.RATE_LIMITED': '操作太频繁了，请稍后再试。',
  'error.AUTH_INVALID_TOKEN': '对话已失效，请开始新对话。',
  'error.CONVERSATION_NOT_FOUND': '找不到这个对话，请开始新对话。',
  'error.WIDGET_KEY_INVALID': '客服暂不可用（组件密钥无效）。',
  'error.WORKSPACE_NOT_FOUND': '演示工作区未启用。',
  'error.NETWORK_ERROR': '网络连接失败，请检查网络后重试。',
  'error.generic': '请求失败（{status}），请稍后再试。',
  'error.IDENTITY_INVALID': '无法验证您的身份，请重新登录网站后再试。',
  'error.ATTACHMENT_TOO_LARGE': '“{name}”太大了，最大可发送 {max} 的文件。',
  'error.ATTACHMENT_TYPE_NOT_ALLOWED': '无法发送“{name}”：不支持这种文件。可以发送 {types}。',
  'error.ATTACHMENT_EMPTY': '“{name}”是空文件，无法发送。',
  'error.ATTACHMENT_NAME_INVALID': '“{name}”的文件名中有无法识别的字符，请重命名后再发送。',
  'frame.close': '关闭客服窗口',
  'frame.language': '语言',
} as const;

export type MessageKey = keyof typeof zhCN;
export const MESSAGE_KEYS = Object.keys(zhCN) as MessageKey[];
type Catalogue = Readonly<Record<MessageKey, string>>;

const zhTW: Catalogue = {
  'page.title': '雲朵商城 · 智慧客服示範',
  'page.brand': '雲朵商城',
  'page.brandSub': 'Cloud Mall',
  'page.language': '語言',
  'page.skipToChat': '跳到線上客服',
  'page.demoBadge': '示範',
  'page.heroTitle': '好物輕鬆買，有問題隨時問',
  'page.heroText': '這是一家虛構的網路商城，用來示範 kefu 開源智慧客服：機器人根據商城的知識庫回答運費、退換貨、發票、點數等問題，答不了的會轉給真人客服。',
  'page.feature1Title': '滿 99 元免運',
  'page.feature1Text': '中國大陸地區訂單實付滿 99 元免運費。',
  'page.feature2Title': '7 天鑑賞期',
  'page.feature2Text': '簽收後 7 天內可線上申請退貨退款。',
  'page.feature3Title': '正品保證',
  'page.feature3Text': '全部商品官方授權，支援開立電子發票。',
  'page.tryTitle': '試一試',
  'page.tryText': '點擊下面的問題，或者在右側直接輸入：',
  'page.try1': '寄到台灣運費多少？',
  'page.try2': '怎麼申請退貨退款？',
  'page.try3': '轉人工',
  'page.agentTip': '轉人工之後，客服可以在工作台（/app/）回覆，訊息會即時出現在對話裡。',
  'page.consoleLink': '開啟客服工作台',
  'page.footer': '由 kefu 開源智慧客服驅動 · 示範資料，非真實商店',

  'chat.title': '線上客服',
  'chat.newConversation': '新對話',
  'chat.newConversationLabel': '開始新的對話',
  'chat.logLabel': '對話紀錄',
  'chat.inputLabel': '輸入訊息',
  'chat.placeholder': '請輸入您的問題…',
  'chat.hint': 'Enter 傳送，Shift + Enter 換行',
  'chat.send': '傳送',
  'chat.thinking': '智慧助理正在思考…',
  'chat.agentTyping': '{name} 正在輸入…',
  'chat.starting': '正在連線客服…',
  'chat.quickReplies': '推薦問題',
  'chat.sources': '來源：',
  'chat.sourceSeparator': '、',
  'chat.sending': '傳送中…',
  'chat.failed': '傳送失敗',
  'chat.retry': '重試',
  'chat.dismiss': '關閉提示',
  'chat.reconnecting': '連線已中斷，正在重新連線…',
  'chat.said': '{name}：',
  'chat.statusLabel': '對話狀態',
  'chat.attach': '傳送圖片或檔案',
  'chat.dropHere': '放開即可傳送',
  'chat.uploading': '正在傳送 {name}',
  'chat.cancelUpload': '取消傳送',
  'chat.openImage': '查看原圖：{name}',

  'author.contact': '我',
  'author.bot': '智慧助理',
  'author.agent': '真人客服',
  'author.system': '系統訊息',
  'author.note': '備註',

  'status.bot': '智慧助理在線',
  'status.queued': '排隊中',
  'status.assigned': '真人客服',
  'status.resolved': '已解決',
  'status.closed': '已結束',

  'notice.queued': '正在為您轉接真人客服…',
  'notice.assigned': '客服 {name} 已加入對話',
  'notice.assignedAnonymous': '真人客服已加入對話',
  'notice.released': '已切換回智慧助理',
  'notice.resolved': '本次對話已結束，如有其他問題，可以繼續留言。',
  'notice.closed': '本次對話已關閉，繼續留言將重新開啟對話。',

  'error.title': '發生錯誤',
  'error.MESSAGE_TOO_LONG': '訊息太長了，請刪減後再傳送。',
  'error.VALIDATION_FAILED': '訊息內容無效，請檢查後再傳送。',
  'error.TEXT_MALFORMED_UNICODE': '訊息中有無法辨識的字元，請刪除後再傳送。',
  'error.RATE_LIMITED': '操作太頻繁了，請稍後再試。',
  'error.AUTH_INVALID_TOKEN': '對話已失效，請開始新對話。',
  'error.CONVERSATION_NOT_FOUND': '找不到這個對話，請開始新對話。',
  'error.WIDGET_KEY_INVALID': '客服暫時無法使用（元件金鑰無效）。',
  'error.WORKSPACE_NOT_FOUND': '示範工作區未啟用。',
  'error.NETWORK_ERROR': '網路連線失敗，請檢查網路後重試。',
  'error.generic': '請求失敗（{status}），請稍後再試。',
  'error.IDENTITY_INVALID': '無法驗證您的身分，請重新登入網站後再試。',
  'error.ATTACHMENT_TOO_LARGE': '「{name}」太大了，最大可傳送 {max} 的檔案。',
  'error.ATTACHMENT_TYPE_NOT_ALLOWED': '無法傳送「{name}」：不支援這種檔案。可以傳送 {types}。',
  'error.ATTACHMENT_EMPTY': '「{name}」是空檔案，無法傳送。',
  'error.ATTACHMENT_NAME_INVALID': '「{name}」的檔名中有無法辨識的字元，請重新命名後再傳送。',
  'frame.close': '關閉客服視窗',
  'frame.language': '語言',
};

const en: Catalogue = {
  'page.title': 'Cloud Mall · AI customer service demo',
  'page.brand': 'Cloud Mall',
  'page.brandSub': '云朵商城',
  'page.language': 'Language',
  'page.skipToChat': 'Skip to the chat',
  'page.demoBadge': 'Demo',
  'page.heroTitle': 'Shop easy, ask anything',
  'page.heroText':
    'A made-up online shop that shows kefu, the open-source AI customer service: the bot answers questions about shipping, returns, invoices and points from the shop’s knowledge base, and hands over to a person when it cannot.',
  'page.feature1Title': 'Free shipping over ¥99',
  'page.feature1Text': 'Orders to mainland China ship free from ¥99.',
  'page.feature2Title': '7-day returns',
  'page.feature2Text': 'Return anything within 7 days of delivery, no reason needed.',
  'page.feature3Title': 'Genuine products',
  'page.feature3Text': 'Officially licensed goods, with e-invoices on request.',
  'page.tryTitle': 'Try it',
  'page.tryText': 'Pick a question below, or type your own in the chat:',
  'page.try1': 'How long does shipping take?',
  'page.try2': 'How do I return an item?',
  'page.try3': 'Talk to an agent',
  'page.agentTip': 'After a handover, an agent can reply from the console (/app/) and the answer appears here live.',
  'page.consoleLink': 'Open the agent console',
  'page.footer': 'Powered by kefu, open-source AI customer service · Demo data, not a real shop',

  'chat.title': 'Customer service',
  'chat.newConversation': 'New chat',
  'chat.newConversationLabel': 'Start a new conversation',
  'chat.logLabel': 'Conversation',
  'chat.inputLabel': 'Your message',
  'chat.placeholder': 'Ask a question…',
  'chat.hint': 'Enter to send, Shift + Enter for a new line',
  'chat.send': 'Send',
  'chat.thinking': 'The assistant is thinking…',
  'chat.agentTyping': '{name} is typing…',
  'chat.starting': 'Connecting…',
  'chat.quickReplies': 'Suggested questions',
  'chat.sources': 'Source: ',
  'chat.sourceSeparator': ', ',
  'chat.sending': 'Sending…',
  'chat.failed': 'Not sent',
  'chat.retry': 'Retry',
  'chat.dismiss': 'Dismiss',
  'chat.reconnecting': 'Connection lost, reconnecting…',
  'chat.said': '{name}: ',
  'chat.statusLabel': 'Conversation status',
  'chat.attach': 'Send an image or file',
  'chat.dropHere': 'Drop to send',
  'chat.uploading': 'Sending {name}',
  'chat.cancelUpload': 'Cancel sending',
  'chat.openImage': 'Open full size: {name}',

  'author.contact': 'You',
  'author.bot': 'Assistant',
  'author.agent': 'Agent',
  'author.system': 'System',
  'author.note': 'Note',

  'status.bot': 'Assistant online',
  'status.queued': 'Queued',
  'status.assigned': 'With an agent',
  'status.resolved': 'Resolved',
  'status.closed': 'Closed',

  'notice.queued': 'Connecting you to a human agent…',
  'notice.assigned': '{name} has joined the conversation',
  'notice.assignedAnonymous': 'An agent has joined the conversation',
  'notice.released': 'You are back with the assistant',
  'notice.resolved': 'This conversation is resolved. Write again any time if you need more help.',
  'notice.closed': 'This conversation is closed. Writing again reopens it.',

  'error.title': 'Something went wrong',
  'error.MESSAGE_TOO_LONG': 'That message is too long. Please shorten it and send again.',
  'error.VALIDATION_FAILED': 'That message could not be sent. Please check it and try again.',
  'error.TEXT_MALFORMED_UNICODE': 'The message contains characters that cannot be sent. Please remove them.',
  'error.RATE_LIMITED': 'Too many requests. Please wait a moment and try again.',
  'error.AUTH_INVALID_TOKEN': 'This conversation has expired. Please start a new one.',
  'error.CONVERSATION_NOT_FOUND': 'This conversation no longer exists. Please start a new one.',
  'error.WIDGET_KEY_INVALID': 'Chat is unavailable (invalid widget key).',
  'error.WORKSPACE_NOT_FOUND': 'The demo workspace is not enabled.',
  'error.NETWORK_ERROR': 'Could not reach the server. Check your connection and try again.',
  'error.generic': 'The request failed ({status}). Please try again later.',
  'error.IDENTITY_INVALID': 'We could not verify who you are. Please sign in to the site again and retry.',
  'error.ATTACHMENT_TOO_LARGE': '“{name}” is too large. Files up to {max} can be sent.',
  'error.ATTACHMENT_TYPE_NOT_ALLOWED': '“{name}” cannot be sent: this type of file is not supported. You can send {types}.',
  'error.ATTACHMENT_EMPTY': '“{name}” is empty, so it cannot be sent.',
  'error.ATTACHMENT_NAME_INVALID': 'The name of “{name}” has characters that cannot be used. Please rename the file and try again.',
  'frame.close': 'Close the chat window',
  'frame.language': 'Language',
};

const CATALOGUES: Readonly<Record<Locale, Catalogue>> = { 'zh-CN': zhCN, 'zh-TW': zhTW, en };

export type Translate = (key: MessageKey, vars?: Readonly<Record<string, string | number>>) => string;

/** A translator bound to one locale; `{name}` placeholders are filled from `vars`. */
export function translator(locale: Locale): Translate {
  const catalogue = CATALOGUES[locale];
  return (key, vars) => {
    const text = catalogue[key];
    return vars ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole)) : text;
  };
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The first supported language in the browser's preference list. Traditional Chinese is told apart by
 * script (`zh-Hant`) or region (Taiwan, Hong Kong, Macao); any other Chinese is Simplified.
 */
export function detectLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    if (lower === 'zh' || lower.startsWith('zh-')) {
      return /^zh-(hant|tw|hk|mo)\b/.test(lower) ? 'zh-TW' : 'zh-CN';
    }
    if (lower === 'en' || lower.startsWith('en-')) return 'en';
  }
  return 'en';
}

/** True when a message key names a known error code, so callers fall back to the generic text otherwise. */
export function errorKey(code: string): MessageKey | null {
  const key = `error.${code}`;
  return key in zhCN ? (key as MessageKey) : null;
}
