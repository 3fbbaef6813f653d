/**
 * Explicit requests for a person, in zh-Hans, zh-Hant (already folded to Simplified by the normalise
 * stage) and English. Matched on the folded text, so 轉人工 and 转人工 are the same request.
 */
const ZH_PATTERNS = [
  /转人工/,
  /人工(客服|服务|坐席|座席|专员)?$/,
  /人工客服/,
  /(找|要|叫|接|转|换|联系|联络)(个|一个|一下)?(真人|人工|活人|客服人员|客服专员|真的客服)/,
  /真人(客服|服务)?/,
  /(不要|不想|别用|不想跟)(和)?(机器人|机械人|ai|AI)/,
  /(跟|和|同)(人|真人|客服人员)(说话|讲|聊|倾|谈)/,
  /有(没有|冇)人(在|吗|么|嘛)/,
];

const EN_PATTERNS = [
  /\b(talk|speak|chat|connect|transfer)\b.*\b(to|with)\b.*\b(human|person|agent|representative|rep|someone|somebody|operator|staff|people)\b/,
  /\b(real|live|actual)\s+(human|person|agent|people)\b/,
  /\b(human|live)\s+(agent|support|help|operator)\b/,
  /\bcustomer\s+(service|support)\s+(agent|representative|rep)\b/,
  /^(an?\s+)?(human|agent|operator|representative|person)(\s+please)?[.!?]*$/,
  /\b(i\s+)?(want|need|would like)\s+(an?\s+)?(human|agent|person|representative|operator)\b/,
];

export interface HandoffRequest {
  requested: boolean;
  pattern: string | null;
}

export function detectHandoffRequest(folded: string): HandoffRequest {
  const text = folded.toLowerCase().replace(/[\s!?.,。！？，、~～]+$/u, '');
  for (const p of [...ZH_PATTERNS, ...EN_PATTERNS]) if (p.test(text)) return { requested: true, pattern: p.source };
  return { requested: false, pattern: null };
}
