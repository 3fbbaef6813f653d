import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { demoChat, loginDemo } from '../test-support/http-helpers.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

// Golden transcripts: the demo shop's flows, in Simplified and Traditional Chinese and English, against
// its order API over real HTTP. Each step checks what the customer reads.
let s: TestServer;
let admin: { authorization: string };
beforeAll(async () => {
  s = await startTestServer();
  admin = await loginDemo(s);
});
afterAll(() => s.close());
beforeEach(() => s.shop!.reset());

const chat = (locale: 'zh-CN' | 'zh-TW' | 'en') => demoChat(s, admin, locale);

describe('demo flows', () => {
  it('order status in Chinese: asks for the number, calls the order API, answers with the tracking number', async () => {
    const c = await chat('zh-CN');
    expect((await c.say('帮我查一下订单')).text).toContain('订单号');
    const r = await c.say('YD2026111800456');
    expect(r.text).toContain('已发货');
    expect(r.text).toContain('YS8806421937');
    expect(r.conversation.status).toBe('bot');
    const flowStage = (await c.trace()).stages.find((x: { stage: string }) => x.stage === 'flow');
    expect(flowStage.output).toMatchObject({ flow: 'order_status', event: 'continued', status: 'ended' });
  });

  it('order status in English with the number in the first message, and in Traditional Chinese', async () => {
    const en = await chat('en');
    const r = await en.say('where is my order YD2026111800456?');
    expect(r.text).toMatch(/has shipped with Cloud Express, tracking number YS8806421937/);
    const tw = await chat('zh-TW');
    expect((await tw.say('查訂單')).text).toContain('訂單號');
    expect((await tw.say('YD2026110900321')).text).toContain('已簽收');
  });

  it('re-asks a wrong order number with a helpful message, says when an order does not exist, and hands off after three misses', async () => {
    const c = await chat('zh-CN');
    await c.say('查订单');
    const wrong = await c.say('12345');
    expect(wrong.text).toContain('YD 加 13 位数字');
    expect(wrong.text).toContain('订单号');
    const missing = await c.say('YD2099010100001');
    expect(missing.text).toContain('没有找到订单 YD2099010100001');
    expect(missing.text).toContain('请告诉我您的订单号');
    const a = await c.say('不知道');
    const b = await c.say('忘了');
    const gaveUp = await c.say('没有');
    expect(a.text).toContain('YD 加 13 位数字');
    expect(b.text).toContain('YD 加 13 位数字');
    expect(gaveUp.conversation.status).toBe('queued');
  });

  it('files a refund in Chinese: reason by button text, confirmation, approval, tag', async () => {
    const c = await chat('zh-CN');
    expect((await c.say('我要退款')).text).toContain('订单号');
    const reason = await c.say('YD2026112100123');
    expect(reason.text).toContain('退款原因');
    expect(reason.replies.at(-1).parts[0]).toMatchObject({
      type: 'quick_replies',
      options: expect.arrayContaining([{ label: '质量问题', value: '质量问题' }]),
    });
    const confirm = await c.say('杯子坏了');
    expect(confirm.text).toContain('确认为订单 YD2026112100123 申请退款 ¥120');
    const done = await c.say('是的');
    expect(done.text).toContain('退款申请已通过');
    expect(done.text).toMatch(/退款单号 \S+/);
    const conv = (await s.app.inject({ url: `/v1/conversations/${c.v.id}`, headers: admin })).json();
    expect(conv.tags).toContain('退款申请');
  });

  it('files a refund in English that needs review, and lets the customer cancel another one', async () => {
    const c = await chat('en');
    await c.say('I want a refund for YD2026110600088');
    await c.say('it arrived broken');
    const r = await c.say('yes');
    expect(r.text).toMatch(/refund request is filed .*reviews it within one business day/s);
    const again = await chat('en');
    await again.say('I want a refund');
    const cancelled = await again.say('cancel');
    expect(cancelled.text).toContain('cancelled the refund request');
    expect((await again.trace()).decision).toMatchObject({ kind: 'flow', reason: 'flow_cancelled' });
  });

  it('answers a question in between and comes back to the flow', async () => {
    const c = await chat('zh-CN');
    await c.say('我要退款');
    const between = await c.say('退款多久到账？');
    expect(between.replies).toHaveLength(2);
    expect(between.replies[1].text).toContain('我们继续刚才的步骤');
    expect(between.replies[1].text).toContain('订单号');
    const next = await c.say('YD2026112100123');
    expect(next.text).toContain('退款原因');
  });

  it('changes an address before shipping and refuses once shipped', async () => {
    const c = await chat('zh-CN');
    await c.say('我想修改收货地址');
    await c.say('YD2026112100123');
    await c.say('上海市浦东新区世纪大道100号 8楼');
    const r = await c.say('确认');
    expect(r.text).toContain('已将订单 YD2026112100123 的收货地址改为「上海市浦东新区世纪大道100号 8楼」');
    const late = await chat('en');
    await late.say('I need to change my address');
    expect((await late.say('YD2026111800456')).text).toContain('can no longer be changed');
  });

  it('Traditional Chinese: a refund, an address change and an invoice, every message in Traditional', async () => {
    const refund = await chat('zh-TW');
    expect((await refund.say('我要退款')).text).toContain('訂單號');
    expect((await refund.say('YD2026112100123')).text).toContain('退款原因');
    expect((await refund.say('質量問題')).text).toContain('確認為訂單 YD2026112100123 申請退款');
    expect((await refund.say('是的')).text).toContain('退款申請已通過');

    const address = await chat('zh-TW');
    // Another order: the refund above put YD2026112100123 in "refunding".
    await address.say('我想修改收貨地址');
    await address.say('YD2026112200045');
    await address.say('台北市信義區市府路45號');
    expect((await address.say('確認')).text).toContain('收貨地址改為「台北市信義區市府路45號」');

    const invoice = await chat('zh-TW');
    expect((await invoice.say('我要開發票')).text).toContain('訂單號');
    await invoice.say('YD2026110900321');
    expect((await invoice.say('個人')).text).toContain('郵箱');
    const done = await invoice.say('me@example.com');
    expect(done.text).toMatch(/電子發票已開具（發票號 \S+），已傳送到 me@example\.com/);
    // No Simplified-only character (发, 号, 订, 单…) in any of it.
    expect(done.text).not.toMatch(/[发号订单]/);
  });

  it('issues an invoice in Chinese, and refuses an order that is not delivered yet', async () => {
    const c = await chat('zh-CN');
    await c.say('帮我开发票');
    await c.say('YD2026110900321');
    await c.say('杭州云朵科技有限公司');
    expect((await c.say('finance@example.com')).text).toContain('电子发票已开具');
    const early = await chat('zh-CN');
    await early.say('我要开发票');
    expect((await early.say('YD2026112100123')).text).toContain('暂时不能开票');
  });

  it('issues an invoice in English', async () => {
    const c = await chat('en');
    await c.say('I need an invoice');
    await c.say('YD2026110900321');
    expect((await c.say('Acme Trading Ltd')).text).toContain('e-mail');
    const r = await c.say('billing@acme.example');
    expect(r.text).toMatch(/e-invoice is issued \(number \S+\) and sent to billing@acme\.example/);
  });

  it('hands off with the flow’s reason when the order system is down', async () => {
    // The last test: the order API stays down.
    await s.shop!.close();
    {
      const c = await chat('zh-CN');
      await c.say('查订单');
      const r = await c.say('YD2026111800456');
      expect(r.text).toContain('订单系统暂时查不到');
      expect(r.conversation).toMatchObject({ status: 'queued', handoffReason: 'order_system_unavailable' });
    }
  });
});
