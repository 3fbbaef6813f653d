import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/** Argon2id with the library's defaults (OWASP-recommended parameters). */
export const hashPassword = (password: string) => hash(password);
export const verifyPassword = async (hashed: string, password: string) => {
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
};

/** Opaque bearer secrets: high-entropy, so a plain SHA-256 is enough to store them. */
export const newSecret = (prefix: string) => `${prefix}${randomBytes(24).toString('base64url')}`;
export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export interface VisitorClaims {
  workspaceId: string;
  conversationId: string;
  contactId: string;
  exp: number;
}

/** Stateless visitor tokens: HMAC-SHA256 over the claims with APP_SECRET, scoped to one conversation. */
export function signVisitorToken(claims: VisitorClaims, secret: string): string {
  const body = Buffer.from(JSON.stringify([claims.workspaceId, claims.conversationId, claims.contactId, claims.exp])).toString('base64url');
  const mac = createHmac('sha256', secret).update(`kfv1.${body}`).digest('base64url');
  return `kfv1.${body}.${mac}`;
}

export function verifyVisitorToken(token: string, secret: string, nowMs: number): VisitorClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== 'kfv1') return null;
  const expected = createHmac('sha256', secret).update(`kfv1.${parts[1]}`).digest();
  const given = Buffer.from(parts[2] ?? '', 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const [workspaceId, conversationId, contactId, exp] = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8'));
    if (typeof exp !== 'number' || exp * 1000 < nowMs) return null;
    return { workspaceId, conversationId, contactId, exp };
  } catch {
    return null;
  }
}
