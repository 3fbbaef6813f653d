// A tiny gateway between a messaging app and kefu's generic channel (docs/channel-custom.md).
//
//   KEFU_URL=http://localhost:3000 KEFU_API_KEY=kfk_… WEBHOOK_SECRET=whsec_… node gateway.mjs
//
// POST /incoming {"userId":"u1","text":"运费多少钱"}  — a user's message from your app: forwarded to
//   kefu, the bot's replies are "sent" to the user (printed here; call your app's API instead).
// POST /kefu-webhook — kefu's webhook (subscribe it to message.created): verified, deduplicated by
//   delivery id, and agents' replies are sent to the user named by conversation.contact.externalId.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const KEFU_URL = process.env.KEFU_URL ?? 'http://localhost:3000';
const KEFU_API_KEY = process.env.KEFU_API_KEY ?? '';
const WEBHOOK_SECRET = process.env.WEBHOOK_SECRET ?? '';
const PORT = Number(process.env.PORT ?? 8787);
const TOLERANCE_S = 300;

/** Replace with your app's send API (WeCom, a push service, your mobile backend…). */
async function sendToUser(userId, text) {
  console.log(`→ ${userId}: ${text}`);
}

export function verifyKefuSignature(secret, header, rawBody, nowS = Math.floor(Date.now() / 1000)) {
  const parts = Object.fromEntries((header ?? '').split(',').map((kv) => kv.split('=', 2)));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(nowS - t) > TOLERANCE_S || !parts.v1) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

// Delivery ids already handled (a database table with a unique key in production).
const seen = new Set();

const readBody = (req) =>
  new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

createServer(async (req, res) => {
  const raw = await readBody(req);
  if (req.method === 'POST' && req.url === '/kefu-webhook') {
    if (!verifyKefuSignature(WEBHOOK_SECRET, req.headers['x-kefu-signature'], raw)) return res.writeHead(401).end();
    const event = JSON.parse(raw);
    // Answer quickly; kefu retries anything that is not 2xx within 5 s.
    res.writeHead(200).end();
    if (seen.has(event.id)) return; // a retry or redelivery of something already handled
    seen.add(event.id);
    const { message, conversation } = event.data ?? {};
    if (event.type === 'message.created' && conversation?.channel === 'custom' && message?.author.type === 'agent') {
      await sendToUser(conversation.contact.externalId, message.text);
    }
    return;
  }
  if (req.method === 'POST' && req.url === '/incoming') {
    const { userId, text, name } = JSON.parse(raw || '{}');
    const r = await fetch(`${KEFU_URL}/v1/channels/custom/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEFU_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ userId, text, name }),
    });
    const body = await r.json();
    if (!r.ok) return res.writeHead(r.status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    for (const reply of body.replies) await sendToUser(userId, reply.text);
    return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: body.status, handoff: body.handoff }));
  }
  res.writeHead(404).end();
}).listen(PORT, () => console.log(`gateway on http://localhost:${PORT}`));
