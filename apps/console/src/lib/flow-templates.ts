/**
 * Starting points for a new flow. The YAML is content, not UI text: each template carries its
 * customer-facing text in all three languages, as a flow does.
 */
export type FlowTemplateId = 'blank' | 'collect' | 'lookup';
export const FLOW_TEMPLATE_IDS: readonly FlowTemplateId[] = ['blank', 'collect', 'lookup'];

const TEMPLATES: Record<FlowTemplateId, (key: string) => string> = {
  blank: (key) => `key: ${key}
name: { zh-CN: 新流程, zh-TW: 新流程, en: New flow }
description: ""
triggers:
  intents: []
  keywords: []
steps:
  - id: hello
    say: { zh-CN: 您好，我来帮您处理。, zh-TW: 您好，我來幫您處理。, en: "Hi, I can help with that." }
  - id: done
    end: { zh-CN: 还有其他可以帮您的吗？, zh-TW: 還有其他可以幫您的嗎？, en: Is there anything else I can help with? }
`,
  collect: (key) => `key: ${key}
name: { zh-CN: 登记信息, zh-TW: 登記資訊, en: Collect details }
description: ""
triggers:
  intents: []
  keywords: []
cancelled: { zh-CN: 好的，已取消。, zh-TW: 好的，已取消。, en: "OK, cancelled." }
steps:
  - id: ask_phone
    ask:
      slot: phone
      type: entity
      entity: phone
      prompt: { zh-CN: 请留下您的手机号。, zh-TW: 請留下您的手機號碼。, en: What's your phone number? }
      invalid: { zh-CN: 这好像不是手机号，请再输入一次。, zh-TW: 這好像不是手機號碼，請再輸入一次。, en: "That doesn't look like a phone number; please try again." }
  - id: confirm
    ask:
      slot: confirmed
      type: yes_no
      prompt: { zh-CN: "确认手机号是 {{slots.phone}} 吗？", zh-TW: "確認手機號碼是 {{slots.phone}} 嗎？", en: "Is {{slots.phone}} right?" }
  - branch:
      - { when: "slots.confirmed == false", goto: ask_again }
      - { else: saved }
  - id: ask_again
    set: { phone: null }
    next: ask_phone
  - id: saved
    call: { action: set_contact_attribute, with: { name: phone, value: "{{slots.phone}}" } }
  - id: done
    end: { zh-CN: 已记下，谢谢！, zh-TW: 已記下，謝謝！, en: "Noted, thank you!" }
`,
  lookup: (key) => `key: ${key}
name: { zh-CN: 查询订单, zh-TW: 查詢訂單, en: Order lookup }
description: ""
triggers:
  intents: []
  keywords: []
steps:
  - id: ask_order
    ask:
      slot: order_no
      type: entity
      entity: order_number
      prompt: { zh-CN: 请提供订单号。, zh-TW: 請提供訂單號碼。, en: "What's the order number?" }
  - id: lookup
    call: { action: get_order, with: { order_no: "{{slots.order_no}}" }, save: order, onError: failed }
  - branch:
      - { when: "slots.order.status == 'shipped'", goto: shipped }
      - { else: other }
  - id: shipped
    say: { zh-CN: "订单 {{slots.order_no}} 已发货。", zh-TW: "訂單 {{slots.order_no}} 已出貨。", en: "Order {{slots.order_no}} has shipped." }
    next: done
  - id: other
    say: { zh-CN: "订单 {{slots.order_no}} 的状态：{{slots.order.status}}。", zh-TW: "訂單 {{slots.order_no}} 的狀態：{{slots.order.status}}。", en: "Order {{slots.order_no}}: {{slots.order.status}}." }
  - id: done
    end: { zh-CN: 还有其他可以帮您的吗？, zh-TW: 還有其他可以幫您的嗎？, en: Anything else I can help with? }
  - id: failed
    handoff:
      reason: order_lookup_failed
      note: "order lookup failed for {{slots.order_no}} ({{slots.last_error}})"
      message: { zh-CN: 暂时查不到，我请同事帮您看看。, zh-TW: 暫時查不到，我請同事幫您看看。, en: "I can't look it up right now, so I'm asking a colleague." }
`,
};

export function isFlowTemplateId(id: string | null | undefined): id is FlowTemplateId {
  return (FLOW_TEMPLATE_IDS as readonly string[]).includes(id ?? '');
}

/** The template's YAML with a key no flow of the workspace has. */
export function flowTemplate(id: FlowTemplateId, takenKeys: Iterable<string>): string {
  return TEMPLATES[id](uniqueFlowKey(id === 'blank' ? 'new_flow' : `new_${id}`, takenKeys));
}

/** `base`, or `base_2`, `base_3`… — the first that is not taken. */
export function uniqueFlowKey(base: string, takenKeys: Iterable<string>): string {
  const taken = new Set(takenKeys);
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}_${n}`)) return `${base}_${n}`;
}
