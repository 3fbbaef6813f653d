import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/**
 * The demo shop's order system (云朵商城 / Cloud Mall): a small local JSON API that the demo
 * workspace's flows call through HTTP actions, so order lookups, refunds, address changes and
 * invoices can be tried without a real ERP. Data lives in memory, seeded the same way every time;
 * `reset()` puts it back. All data is fictional.
 */
export async function startShopOrderApi(opts: { port?: number; host?: string } = {}): Promise<ShopOrderApi> {
  const host = opts.host ?? '127.0.0.1';
  const state = new ShopState();
  let baseUrl = '';
  const server = createServer((req, res) => {
    handle(req, res, state, baseUrl).catch(() => {
      // Last resort: whatever went wrong, the process keeps serving.
      if (!res.headersSent) send(res, 500, { error: 'internal_error', message: 'something went wrong' });
      else res.destroy();
    });
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 10_000;
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url: baseUrl,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
    reset: () => state.reset(),
  };
}

export interface ShopOrderApi {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  close(): Promise<void>;
  /** Back to the seeded orders; forgets refunds, invoices, address changes and idempotency keys. */
  reset(): void;
}

export const ORDER_STATUSES = ['pending_payment', 'paid', 'shipped', 'delivered', 'cancelled', 'refunding', 'refunded'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface Bilingual {
  zh: string;
  en: string;
}

export interface ShopOrder {
  orderNo: string;
  status: OrderStatus;
  statusText: Bilingual;
  items: { sku: string; name: Bilingual; qty: number; price: number }[];
  total: number;
  currency: 'CNY';
  createdAt: string;
  paidAt: string | null;
  shippedAt?: string;
  deliveredAt?: string;
  carrier?: Bilingual;
  trackingNo?: string;
  eta?: string;
  address: { name: string; phone: string; text: string };
  refundable: boolean;
  addressChangeable: boolean;
  invoiceable: boolean;
  refund?: { refundId: string; status: 'approved' | 'pending_review' | 'completed'; amount: number; reason: string };
  invoice?: { invoiceId: string; status: 'issued' };
}

/** Refunds up to this amount are approved at once; larger ones wait for a person. */
export const AUTO_APPROVE_REFUND_CNY = 200;

const STATUS_TEXT: Record<OrderStatus, Bilingual> = {
  pending_payment: { zh: '待付款', en: 'Awaiting payment' },
  paid: { zh: '已付款，待发货', en: 'Paid, awaiting shipment' },
  shipped: { zh: '已发货', en: 'Shipped' },
  delivered: { zh: '已签收', en: 'Delivered' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
  refunding: { zh: '退款中', en: 'Refund in progress' },
  refunded: { zh: '已退款', en: 'Refunded' },
};

const CLOUD_EXPRESS: Bilingual = { zh: '云朵速运', en: 'Cloud Express' };

type Seed = Omit<ShopOrder, 'statusText' | 'total' | 'currency'>;

/** The seeded orders, one or more per status. Order numbers are `YD` + order date + 5-digit sequence. */
export function seedShopOrders(): ShopOrder[] {
  const seeds: Seed[] = [
    {
      orderNo: 'YD2026112200045',
      status: 'pending_payment',
      items: [{ sku: 'HA-AF-5L-WH', name: { zh: '空气炸锅 5L 白色', en: 'Air Fryer, 5 L, White' }, qty: 1, price: 259 }],
      createdAt: '2026-11-22T09:15:00+08:00',
      paidAt: null,
      address: { name: '刘洋', phone: '13500004680', text: '浙江省杭州市西湖区文三路478号华星时代广场A座1203室' },
      refundable: false,
      addressChangeable: true,
      invoiceable: false,
    },
    {
      orderNo: 'YD2026112100123',
      status: 'paid',
      items: [
        { sku: 'HM-CUP-500-WH', name: { zh: '304不锈钢保温杯 500ml 白色', en: 'Stainless Steel Insulated Bottle, 500 ml, White' }, qty: 1, price: 79 },
        { sku: 'EL-CBL-C1M', name: { zh: 'USB-C 快充数据线 1米', en: 'USB-C Fast Charging Cable, 1 m' }, qty: 2, price: 20.5 },
      ],
      createdAt: '2026-11-21T10:02:00+08:00',
      paidAt: '2026-11-21T10:05:12+08:00',
      address: { name: '李明', phone: '13800001234', text: '上海市浦东新区张江路88弄6号1201室' },
      refundable: true,
      addressChangeable: true,
      invoiceable: false,
    },
    {
      orderNo: 'YD2026111800456',
      status: 'shipped',
      items: [{ sku: 'EL-EAR-BT-BK', name: { zh: '无线蓝牙耳机 黑色', en: 'Wireless Bluetooth Earbuds, Black' }, qty: 1, price: 299 }],
      createdAt: '2026-11-18T20:31:00+08:00',
      paidAt: '2026-11-18T20:33:40+08:00',
      shippedAt: '2026-11-19T09:12:00+08:00',
      carrier: CLOUD_EXPRESS,
      trackingNo: 'YS8806421937',
      eta: '2026-11-22',
      address: { name: '王芳', phone: '13900005678', text: '北京市朝阳区建国路93号院3号楼502室' },
      refundable: false,
      addressChangeable: false,
      invoiceable: false,
    },
    {
      orderNo: 'YD2026110900321',
      status: 'delivered',
      items: [{ sku: 'CL-TEE-CN-BK-L', name: { zh: '纯棉圆领T恤 黑色 L', en: 'Cotton Crew-neck T-shirt, Black, L' }, qty: 2, price: 69 }],
      createdAt: '2026-11-09T14:18:00+08:00',
      paidAt: '2026-11-09T14:20:05+08:00',
      shippedAt: '2026-11-10T08:45:00+08:00',
      deliveredAt: '2026-11-12T16:30:00+08:00',
      carrier: CLOUD_EXPRESS,
      trackingNo: 'YS8805173320',
      address: { name: '陈静', phone: '13700002468', text: '广东省广州市天河区体育西路103号维多利广场B座1808室' },
      refundable: true,
      addressChangeable: false,
      invoiceable: true,
    },
    {
      orderNo: 'YD2026110600088',
      status: 'delivered',
      items: [{ sku: 'HA-TV-55-4K', name: { zh: '55英寸4K智能电视', en: '55-inch 4K Smart TV' }, qty: 1, price: 2999 }],
      createdAt: '2026-11-06T08:36:00+08:00',
      paidAt: '2026-11-06T08:40:22+08:00',
      shippedAt: '2026-11-06T09:30:00+08:00',
      deliveredAt: '2026-11-06T18:20:00+08:00',
      carrier: CLOUD_EXPRESS,
      trackingNo: 'YS8804990812',
      address: { name: '赵强', phone: '13600003579', text: '广东省深圳市南山区深南大道9988号科技园南区2栋701室' },
      refundable: true,
      addressChangeable: false,
      invoiceable: true,
    },
    {
      orderNo: 'YD2026111200076',
      status: 'refunding',
      items: [{ sku: 'EL-KB-87-RED', name: { zh: '87键机械键盘 红轴', en: '87-key Mechanical Keyboard, Red Switches' }, qty: 1, price: 349 }],
      createdAt: '2026-11-12T21:05:00+08:00',
      paidAt: '2026-11-12T21:06:30+08:00',
      shippedAt: '2026-11-13T10:00:00+08:00',
      deliveredAt: '2026-11-14T15:42:00+08:00',
      carrier: CLOUD_EXPRESS,
      trackingNo: 'YS8805402266',
      address: { name: '周杰', phone: '13200006802', text: '江苏省南京市鼓楼区中山北路200号1单元603室' },
      refundable: false,
      addressChangeable: false,
      invoiceable: false,
      refund: { refundId: 'RF20261112000760', status: 'pending_review', amount: 349, reason: '按键手感不喜欢 / Did not like the key feel' },
    },
    {
      orderNo: 'YD2026102800510',
      status: 'refunded',
      items: [{ sku: 'CL-DJ-LT-NV-M', name: { zh: '轻薄羽绒服 藏青 M', en: 'Lightweight Down Jacket, Navy, M' }, qty: 1, price: 599 }],
      createdAt: '2026-10-28T12:10:00+08:00',
      paidAt: '2026-10-28T12:11:48+08:00',
      shippedAt: '2026-10-29T09:20:00+08:00',
      deliveredAt: '2026-10-31T11:05:00+08:00',
      carrier: CLOUD_EXPRESS,
      trackingNo: 'YS8803318845',
      address: { name: '吴敏', phone: '15800007913', text: '湖北省武汉市洪山区珞喻路1037号8栋302室' },
      refundable: false,
      addressChangeable: false,
      invoiceable: false,
      refund: { refundId: 'RF20261028005100', status: 'completed', amount: 599, reason: '尺码偏小 / Runs small' },
    },
    {
      orderNo: 'YD2026110300217',
      status: 'cancelled',
      items: [{ sku: 'PC-TB-SONIC-WH', name: { zh: '声波电动牙刷 白色', en: 'Sonic Electric Toothbrush, White' }, qty: 1, price: 199 }],
      createdAt: '2026-11-03T22:47:00+08:00',
      paidAt: null,
      address: { name: '孙丽', phone: '13300005791', text: '四川省成都市武侯区天府大道北段1700号环球中心W2-1506' },
      refundable: false,
      addressChangeable: false,
      invoiceable: false,
    },
    {
      orderNo: 'YD2026101500032',
      status: 'delivered',
      items: [{ sku: 'EL-BAND-S7-BK', name: { zh: '智能运动手环 黑色', en: 'Smart Fitness Band, Black' }, qty: 1, price: 189 }],
      createdAt: '2026-10-15T19:22:00+08:00',
      paidAt: '2026-10-15T19:23:10+08:00',
      shippedAt: '2026-10-16T10:05:00+08:00',
      deliveredAt: '2026-10-18T14:12:00+08:00',
      carrier: CLOUD_EXPRESS,
      trackingNo: 'YS8802657401',
      address: { name: '郑浩', phone: '18600008024', text: '陕西省西安市雁塔区高新路52号高科大厦11层' },
      // Delivered over a month ago: past the 7-day return window, and its invoice is already out.
      refundable: false,
      addressChangeable: false,
      invoiceable: false,
      invoice: { invoiceId: 'INV2026101500032', status: 'issued' },
    },
  ];
  return seeds.map((s) => ({
    ...structuredClone(s),
    statusText: { ...STATUS_TEXT[s.status] },
    total: money(s.items.reduce((sum, i) => sum + i.qty * i.price, 0)),
    currency: 'CNY',
  }));
}

class ShopState {
  orders = new Map<string, ShopOrder>();
  /** Idempotency-Key → what was answered the first time, and to which request. */
  replies = new Map<string, { fingerprint: string; status: number; body: unknown }>();
  refundSeq = 0;

  constructor() {
    this.reset();
  }

  reset(): void {
    this.orders = new Map(seedShopOrders().map((o) => [o.orderNo, o]));
    this.replies.clear();
    this.refundSeq = 0;
  }

  setStatus(order: ShopOrder, status: OrderStatus): void {
    order.status = status;
    order.statusText = { ...STATUS_TEXT[status] };
  }
}

type Reply = { status: number; body: unknown; headers?: Record<string, string> };

async function handle(req: IncomingMessage, res: ServerResponse, state: ShopState, baseUrl: string): Promise<void> {
  req.on('error', () => {});
  const pathname = (req.url ?? '/').split(/[?#]/, 1)[0] ?? '/';
  let segments: string[];
  try {
    segments = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return send(res, 404, { error: 'not_found', message: 'no such resource' });
  }
  const route = matchRoute(segments);
  if (!route) return send(res, 404, { error: 'not_found', message: 'no such resource' });
  if (req.method !== route.method) {
    return send(res, 405, { error: 'method_not_allowed', message: `use ${route.method}` }, { allow: route.method });
  }

  let body: unknown;
  if (route.method !== 'GET') {
    const read = await readJsonBody(req);
    if (!read.ok) return send(res, read.status, { error: read.error, message: read.message }, read.status === 413 ? { connection: 'close' } : {});
    body = read.value;
  }

  // Only creations are deduplicated: a repeated PUT or GET is harmless by itself.
  const key = req.method === 'POST' ? req.headers['idempotency-key'] : undefined;
  if (typeof key === 'string') {
    if (key.length === 0 || key.length > 255) return send(res, 400, { error: 'invalid_idempotency_key', message: 'must be 1–255 characters' });
    const fingerprint = JSON.stringify([route.name, route.orderNo ?? null, body ?? null]);
    const earlier = state.replies.get(key);
    if (earlier) {
      if (earlier.fingerprint !== fingerprint) {
        return send(res, 422, { error: 'idempotency_key_reused', message: 'this Idempotency-Key was used for a different request' });
      }
      return send(res, earlier.status, earlier.body, { 'idempotent-replayed': 'true' });
    }
    const reply = route.run(state, body, baseUrl);
    if (reply.status >= 200 && reply.status < 300) state.replies.set(key, { fingerprint, status: reply.status, body: reply.body });
    return send(res, reply.status, reply.body, reply.headers);
  }
  const reply = route.run(state, body, baseUrl);
  send(res, reply.status, reply.body, reply.headers);
}

interface Route {
  name: string;
  method: 'GET' | 'POST' | 'PUT';
  orderNo?: string;
  run(state: ShopState, body: unknown, baseUrl: string): Reply;
}

function matchRoute(s: string[]): Route | undefined {
  if (s.length === 1 && s[0] === 'health') return { name: 'health', method: 'GET', run: () => ({ status: 200, body: { status: 'ok' } }) };
  if (s.length === 1 && s[0] === 'invoices') return { name: 'invoice', method: 'POST', run: (st, b, base) => issueInvoice(st, b, base) };
  if (s[0] !== 'orders' || !s[1]) return undefined;
  // Customers type order numbers in any case and with stray spaces.
  const orderNo = s[1].trim().toUpperCase();
  if (s.length === 2) return { name: 'order', method: 'GET', orderNo, run: (st) => getOrder(st, orderNo) };
  if (s.length === 3 && s[2] === 'refunds') return { name: 'refund', method: 'POST', orderNo, run: (st, b) => requestRefund(st, orderNo, b) };
  if (s.length === 3 && s[2] === 'address') return { name: 'address', method: 'PUT', orderNo, run: (st, b) => changeAddress(st, orderNo, b) };
  return undefined;
}

const ORDER_NOT_FOUND: Reply = { status: 404, body: { error: 'order_not_found', message: 'no order with this number' } };

function getOrder(state: ShopState, orderNo: string): Reply {
  const order = state.orders.get(orderNo);
  return order ? { status: 200, body: order } : ORDER_NOT_FOUND;
}

const RefundBody = z.object({
  reason: z.string({ error: 'is required' }).trim().min(1, 'is required').max(500, 'must be at most 500 characters'),
  amount: z
    .number({ error: 'must be a number' })
    .positive('must be more than 0')
    .refine((n) => Math.abs(n * 100 - Math.round(n * 100)) < 1e-6, 'must have at most 2 decimals')
    .nullish(),
});

function requestRefund(state: ShopState, orderNo: string, body: unknown): Reply {
  const order = state.orders.get(orderNo);
  if (!order) return ORDER_NOT_FOUND;
  const parsed = RefundBody.safeParse(body);
  if (!parsed.success) return invalidBody(parsed.error);
  if (order.status === 'refunding') return conflict('already_refunding', 'a refund for this order is already in progress');
  if (order.status === 'refunded') return conflict('already_refunded', 'this order has already been refunded');
  if (!order.refundable) return conflict('not_refundable', 'this order cannot be refunded');
  const amount = money(parsed.data.amount ?? order.total);
  if (amount > order.total) return { status: 422, body: { error: 'invalid_body', issues: [{ path: 'amount', message: `must be at most ${order.total}` }] } };

  const status = amount <= AUTO_APPROVE_REFUND_CNY ? 'approved' : 'pending_review';
  const refundId = `RF${orderNo.slice(2)}${++state.refundSeq}`;
  state.setStatus(order, 'refunding');
  order.refundable = false;
  order.addressChangeable = false;
  order.invoiceable = false;
  order.refund = { refundId, status, amount, reason: parsed.data.reason };
  return { status: 201, body: { refundId, status, amount } };
}

const PHONE = /^\+?\d[\d -]{5,18}\d$/;

const AddressBody = z.object({
  name: z.string({ error: 'must be text' }).trim().min(1, 'must not be empty').max(40, 'must be at most 40 characters').nullish(),
  phone: z.string({ error: 'must be text' }).trim().regex(PHONE, 'must be a phone number').nullish(),
  text: z.string({ error: 'is required' }).trim().min(5, 'must be at least 5 characters').max(200, 'must be at most 200 characters'),
});

function changeAddress(state: ShopState, orderNo: string, body: unknown): Reply {
  const order = state.orders.get(orderNo);
  if (!order) return ORDER_NOT_FOUND;
  const parsed = AddressBody.safeParse(body);
  if (!parsed.success) return invalidBody(parsed.error);
  if (order.shippedAt) return conflict('already_shipped', 'the order has shipped; the address can no longer be changed');
  // The shop allows one change before shipping (FAQ zh-orders-004); cancelled and refunding orders none.
  if (!order.addressChangeable) return conflict('address_not_changeable', 'the address of this order can no longer be changed');
  order.address = {
    name: parsed.data.name ?? order.address.name,
    phone: parsed.data.phone ?? order.address.phone,
    text: parsed.data.text,
  };
  order.addressChangeable = false;
  return { status: 200, body: order };
}

const InvoiceBody = z.object({
  orderNo: z.string({ error: 'is required' }).trim().min(1, 'is required').max(40, 'must be at most 40 characters'),
  title: z.string({ error: 'is required' }).trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  taxId: z
    .string({ error: 'must be text' })
    .trim()
    .toUpperCase()
    .regex(/^[0-9A-Z]{15,20}$/, 'must be a taxpayer ID of 15–20 letters and digits')
    .nullish(),
  email: z.email('must be an email address').max(254, 'must be at most 254 characters'),
});

function issueInvoice(state: ShopState, body: unknown, baseUrl: string): Reply {
  const parsed = InvoiceBody.safeParse(body);
  if (!parsed.success) return invalidBody(parsed.error);
  const order = state.orders.get(parsed.data.orderNo.toUpperCase());
  if (!order) return ORDER_NOT_FOUND;
  if (order.invoice) return conflict('invoice_already_issued', 'an invoice has already been issued for this order', { invoiceId: order.invoice.invoiceId });
  if (!order.invoiceable) return conflict('not_invoiceable', 'an invoice can be issued once the order has been received');
  const invoiceId = `INV${order.orderNo.slice(2)}`;
  order.invoice = { invoiceId, status: 'issued' };
  order.invoiceable = false;
  return { status: 201, body: { invoiceId, status: 'issued', downloadUrl: `${baseUrl}/invoices/${invoiceId}.pdf` } };
}

const conflict = (error: string, message: string, extra: Record<string, unknown> = {}): Reply => ({ status: 409, body: { error, message, ...extra } });

function invalidBody(error: z.ZodError): Reply {
  return { status: 422, body: { error: 'invalid_body', issues: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) } };
}

const BODY_LIMIT = 64 * 1024;

type ReadResult = { ok: true; value: unknown } | { ok: false; status: 400 | 413; error: string; message: string };

/** Reads a JSON body of at most 64 KB; stops reading (and later closes the connection) past that. */
function readJsonBody(req: IncomingMessage): Promise<ReadResult> {
  const tooLarge: ReadResult = { ok: false, status: 413, error: 'payload_too_large', message: 'the body must be at most 64 KB' };
  if (Number(req.headers['content-length']) > BODY_LIMIT) {
    req.resume();
    return Promise.resolve(tooLarge);
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT) {
        req.off('data', onData);
        req.resume();
        resolve(tooLarge);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => {
      if (size > BODY_LIMIT) return;
      const text = Buffer.concat(chunks)
        .toString('utf8')
        .replace(/^\uFEFF/, '');
      if (text.trim() === '') return resolve({ ok: true, value: undefined });
      try {
        resolve({ ok: true, value: JSON.parse(text) });
      } catch {
        resolve({ ok: false, status: 400, error: 'invalid_json', message: 'the body is not valid JSON' });
      }
    });
    req.on('error', () => resolve({ ok: false, status: 400, error: 'bad_request', message: 'the body could not be read' }));
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

const money = (n: number) => Math.round(n * 100) / 100;
