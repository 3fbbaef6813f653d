import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
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

/**
 * Secrets kefu must send on (action header values): AES-256-GCM with a key derived from APP_SECRET,
 * stored as `v1.<iv>.<tag>.<ciphertext>` (base64url). Decrypting with another APP_SECRET fails.
 */
export function encryptSecret(plain: string, appSecret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', secretKey(appSecret), iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
}

export function decryptSecret(sealed: string, appSecret: string): string {
  const [v, iv, tag, data] = sealed.split('.');
  if (v !== 'v1' || !iv || !tag || data === undefined) throw new Error('not an encrypted secret');
  const decipher = createDecipheriv('aes-256-gcm', secretKey(appSecret), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}

const secretKey = (appSecret: string) => createHash('sha256').update(`kefu-secrets:${appSecret}`).digest();
