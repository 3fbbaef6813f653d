import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runHttpAction } from '../adapters/actions/run-http-action.js';
import { ORDER_STATUSES, type ShopOrderApi, seedShopOrders, startShopOrderApi } from './shop-order-api.js';

let api: ShopOrderApi;
beforeAll(async () => {
  api = await startShopOrderApi();
});
afterAll(() => api.close());
beforeEach(() => api.reset());

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : null };
}

describe('seed', () => {
  it('covers every order status with order numbers in the demo format', () => {
    const orders = seedShopOrders();
    expect(new Set(orders.map((o) => o.status))).toEqual(new Set(ORDER_STATUSES));
    for (const o of orders) {
      expect(o.orderNo).toMatch(/^YD\d{13}$/);
      expect(o.total).toBe(o.items.reduce((s, i) => s + i.qty * i.price, 0));
      for (const item of o.items) expect(item.name.zh && item.name.en).toBeTruthy();
    }
    expect(seedShopOrders()).toEqual(orders);
  });
});

describe('GET /orders/:orderNo', () => {
  it('answers a shipped order with carrier, tracking number and bilingual item names', async () => {
    const r = await call('GET', '/orders/YD2026111800456');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(r.json).toMatchObject({
      orderNo: 'YD2026111800456',
      status: 'shipped',
      statusText: { zh: '已发货', en: 'Shipped' },
      items: [{ sku: 'EL-EAR-BT-BK', name: { zh: '无线蓝牙耳机 黑色', en: 'Wireless Bluetooth Earbuds, Black' }, qty: 1, price: 299 }],
      total: 299,
      currency: 'CNY',
      carrier: { zh: '云朵速运', en: 'Cloud Express' },
      trackingNo: 'YS8806421937',
      eta: '2026-11-22',
      refundable: false,
      addressChangeable: false,
      invoiceable: false,
    });
  });

  it('finds an order typed in lower case, and answers 404 for an unknown one', async () => {
    expect((await call('GET', '/orders/yd2026112100123')).json.status).toBe('paid');
    const r = await call('GET', '/orders/YD2099010100001');
    expect(r).toMatchObject({ status: 404, json: { error: 'order_not_found' } });
  });

  it('leaves shipping fields out of an order that has not shipped', async () => {
    const r = await call('GET', '/orders/YD2026112200045');
    expect(r.json).toMatchObject({ status: 'pending_payment', paidAt: null, addressChangeable: true });
    expect(r.json).not.toHaveProperty('trackingNo');
    expect(r.json).not.toHaveProperty('shippedAt');
  });
});

describe('POST /orders/:orderNo/refunds', () => {
  it('approves a refund up to ¥200 at once and marks the order as refunding', async () => {
    const r = await call('POST', '/orders/YD2026110900321/refunds', { reason: '颜色发错了 / wrong colour' });
    expect(r).toMatchObject({ status: 201, json: { status: 'approved', amount: 138 } });
    expect(r.json.refundId).toMatch(/^RF/);
    const order = await call('GET', '/orders/YD2026110900321');
    expect(order.json).toMatchObject({ status: 'refunding', refundable: false, refund: { refundId: r.json.refundId, status: 'approved', amount: 138 } });
  });

  it('sends a refund above ¥200 to review, and a partial one up to ¥200 is approved', async () => {
    expect((await call('POST', '/orders/YD2026110600088/refunds', { reason: 'price dropped' })).json).toMatchObject({
      status: 'pending_review',
      amount: 2999,
    });
    api.reset();
    expect((await call('POST', '/orders/YD2026110600088/refunds', { reason: '价保', amount: 200 })).json).toMatchObject({ status: 'approved', amount: 200 });
  });

  it('answers 409 for an order that is not refundable or already refunding', async () => {
    expect(await call('POST', '/orders/YD2026111800456/refunds', { reason: 'x' })).toMatchObject({ status: 409, json: { error: 'not_refundable' } });
    expect(await call('POST', '/orders/YD2026111200076/refunds', { reason: 'x' })).toMatchObject({ status: 409, json: { error: 'already_refunding' } });
    expect(await call('POST', '/orders/YD2026102800510/refunds', { reason: 'x' })).toMatchObject({ status: 409, json: { error: 'already_refunded' } });
    expect(await call('POST', '/orders/YD2026112200045/refunds', { reason: 'x' })).toMatchObject({ status: 409, json: { error: 'not_refundable' } });
    expect(await call('POST', '/orders/YD2026112100123/refunds', { reason: 'x' })).toMatchObject({ status: 201 });
    expect(await call('POST', '/orders/YD2026112100123/refunds', { reason: 'x' })).toMatchObject({ status: 409, json: { error: 'already_refunding' } });
  });

  it('answers the same refund again for the same Idempotency-Key instead of refunding twice', async () => {
    const headers = { 'idempotency-key': 'conv-42:refund' };
    const first = await call('POST', '/orders/YD2026112100123/refunds', { reason: '不想要了' }, headers);
    const again = await call('POST', '/orders/YD2026112100123/refunds', { reason: '不想要了' }, headers);
    expect(first.status).toBe(201);
    expect(again).toMatchObject({ status: 201, json: first.json });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const reused = await call('POST', '/orders/YD2026110900321/refunds', { reason: '不想要了' }, headers);
    expect(reused).toMatchObject({ status: 422, json: { error: 'idempotency_key_reused' } });
    expect((await call('GET', '/orders/YD2026110900321')).json.status).toBe('delivered');
  });

  it('answers 422 with the fields at fault for a bad body', async () => {
    const r = await call('POST', '/orders/YD2026110900321/refunds', { amount: -5 });
    expect(r.status).toBe(422);
    expect(r.json.error).toBe('invalid_body');
    expect(r.json.issues.map((i: { path: string }) => i.path).sort()).toEqual(['amount', 'reason']);
    expect(await call('POST', '/orders/YD2026110900321/refunds', { reason: 'x', amount: 1000 })).toMatchObject({ status: 422 });
    expect(await call('POST', '/orders/YD2026110900321/refunds', { reason: 'x', amount: 1.005 })).toMatchObject({ status: 422 });
    expect(await call('POST', '/orders/YD2026110900321/refunds')).toMatchObject({ status: 422 });
    expect((await call('GET', '/orders/YD2026110900321')).json.status).toBe('delivered');
  });
});

describe('PUT /orders/:orderNo/address', () => {
  it('changes the address once before shipping and answers the updated order', async () => {
    const r = await call('PUT', '/orders/YD2026112100123/address', { text: '上海市徐汇区漕溪北路398号汇智大厦15楼', phone: '13811112222' });
    expect(r).toMatchObject({
      status: 200,
      json: {
        orderNo: 'YD2026112100123',
        address: { name: '李明', phone: '13811112222', text: '上海市徐汇区漕溪北路398号汇智大厦15楼' },
        addressChangeable: false,
      },
    });
    const second = await call('PUT', '/orders/YD2026112100123/address', { text: '上海市静安区南京西路1266号' });
    expect(second).toMatchObject({ status: 409, json: { error: 'address_not_changeable' } });
  });

  it('answers 409 already_shipped once the order has shipped', async () => {
    const r = await call('PUT', '/orders/YD2026111800456/address', { text: '北京市海淀区中关村大街1号' });
    expect(r).toMatchObject({ status: 409, json: { error: 'already_shipped' } });
    expect((await call('GET', '/orders/YD2026111800456')).json.address.text).toBe('北京市朝阳区建国路93号院3号楼502室');
  });

  it('answers 422 without an address text', async () => {
    expect(await call('PUT', '/orders/YD2026112100123/address', { name: '李明' })).toMatchObject({ status: 422, json: { error: 'invalid_body' } });
  });
});

describe('POST /invoices', () => {
  it('issues an invoice for a delivered order, once', async () => {
    const body = { orderNo: 'YD2026110900321', title: '云端科技有限公司', taxId: '91310115MA1K4XXXXX', email: 'finance@example.com' };
    const r = await call('POST', '/invoices', body);
    expect(r).toMatchObject({ status: 201, json: { invoiceId: 'INV2026110900321', status: 'issued' } });
    expect(r.json.downloadUrl).toBe(`${api.url}/invoices/INV2026110900321.pdf`);
    expect(await call('POST', '/invoices', body)).toMatchObject({ status: 409, json: { error: 'invoice_already_issued', invoiceId: 'INV2026110900321' } });
    expect((await call('GET', '/orders/YD2026110900321')).json).toMatchObject({ invoiceable: false, invoice: { invoiceId: 'INV2026110900321' } });
  });

  it('answers 409 for an order not yet received and 404 for an unknown one', async () => {
    const base = { title: '个人', email: 'li.ming@example.com' };
    expect(await call('POST', '/invoices', { ...base, orderNo: 'YD2026111800456' })).toMatchObject({ status: 409, json: { error: 'not_invoiceable' } });
    expect(await call('POST', '/invoices', { ...base, orderNo: 'YD2026101500032' })).toMatchObject({ status: 409, json: { error: 'invoice_already_issued' } });
    expect(await call('POST', '/invoices', { ...base, orderNo: 'YD2099010100001' })).toMatchObject({ status: 404, json: { error: 'order_not_found' } });
  });

  it('answers 422 for a bad email or a missing title', async () => {
    const r = await call('POST', '/invoices', { orderNo: 'YD2026110900321', email: 'not-an-email' });
    expect(r.status).toBe(422);
    expect(r.json.issues.map((i: { path: string }) => i.path).sort()).toEqual(['email', 'title']);
  });
});

describe('the server', () => {
  it('answers health checks', async () => {
    expect(await call('GET', '/health')).toMatchObject({ status: 200, json: { status: 'ok' } });
  });

  it('answers 400 for malformed JSON, 404 for unknown paths and 405 for the wrong method', async () => {
    expect(await call('POST', '/invoices', '{"orderNo": ')).toMatchObject({ status: 400, json: { error: 'invalid_json' } });
    expect(await call('GET', '/nope')).toMatchObject({ status: 404, json: { error: 'not_found' } });
    expect(await call('GET', '/orders/YD2026110900321/secret')).toMatchObject({ status: 404 });
    expect(await call('GET', '/orders/%E0%A4%A')).toMatchObject({ status: 404 });
    const wrong = await call('DELETE', '/orders/YD2026110900321');
    expect(wrong).toMatchObject({ status: 405, json: { error: 'method_not_allowed' } });
    expect(wrong.headers.get('allow')).toBe('GET');
  });

  it('refuses a body over 64 KB and keeps serving', async () => {
    const big = { reason: 'x'.repeat(70 * 1024) };
    expect(await call('POST', '/orders/YD2026110900321/refunds', big)).toMatchObject({ status: 413, json: { error: 'payload_too_large' } });
    // Streamed without a length, so the limit is found while reading.
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${api.url}/orders/YD2026110900321/refunds`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('{"reason":"');
      req.write('y'.repeat(100 * 1024));
      req.end('"}');
    });
    expect(streamed).toBe(413);
    expect((await call('GET', '/health')).status).toBe(200);
  });

  it('survives a garbled request line', async () => {
    const { connect } = await import('node:net');
    const { port, hostname } = new URL(api.url);
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), hostname, () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let data = '';
      socket.on('data', (d) => {
        data += d.toString();
      });
      socket.on('close', () => resolve(data));
      socket.on('error', () => resolve(data));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect((await call('GET', '/health')).status).toBe(200);
  });

  it('forgets refunds, invoices and address changes on reset', async () => {
    await call('POST', '/orders/YD2026110900321/refunds', { reason: 'x' });
    await call('PUT', '/orders/YD2026112100123/address', { text: '上海市静安区南京西路1266号' });
    api.reset();
    expect((await call('GET', '/orders/YD2026110900321')).json.status).toBe('delivered');
    expect((await call('GET', '/orders/YD2026112100123')).json.address.text).toBe('上海市浦东新区张江路88弄6号1201室');
  });
});

describe('with the HTTP action connector', () => {
  it('looks an order up into slots and books one refund across a re-run of the same step', async () => {
    const lookup = await runHttpAction(
      {
        method: 'GET',
        url: `${api.url}/orders/{{slots.order_no}}`,
        response: { status: 'status', status_zh: 'statusText.zh', carrier: 'carrier.zh', tracking: 'trackingNo', first_item: 'items.0.name.en' },
      },
      { slots: { order_no: 'YD2026111800456' } },
    );
    expect(lookup).toMatchObject({
      ok: true,
      slots: { status: 'shipped', status_zh: '已发货', carrier: '云朵速运', tracking: 'YS8806421937', first_item: 'Wireless Bluetooth Earbuds, Black' },
    });

    const refund = {
      method: 'POST' as const,
      url: `${api.url}/orders/{{slots.order_no}}/refunds`,
      body: { reason: '{{slots.reason}}', amount: '{{slots.amount}}' },
      response: { refund_id: 'refundId', refund_status: 'status' },
      idempotency: true,
    };
    const scope = { slots: { order_no: 'YD2026110600088', reason: '降价了', amount: 300 } };
    const first = await runHttpAction(refund, scope, { idempotencyKey: 'conv-7:refund' });
    const rerun = await runHttpAction(refund, scope, { idempotencyKey: 'conv-7:refund' });
    expect(first).toMatchObject({ ok: true, status: 201, slots: { refund_status: 'pending_review' } });
    expect(rerun).toMatchObject({ ok: true, slots: first.ok ? first.slots : {} });

    const missing = await runHttpAction(refund, { slots: { order_no: 'YD2099010100001', reason: 'x', amount: 1 } }, { idempotencyKey: 'k2' });
    expect(missing).toMatchObject({ ok: false, error: 'http_error', status: 404, message: expect.stringContaining('order_not_found') });
  });
});
