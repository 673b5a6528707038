import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createLink } from '../store/dashboard.repository.js';
import type { Q } from '../store/helpers.js';

/**
 * Sign-in links and session ids of the web dashboard: 32 random bytes (base64url) handed out once;
 * the store keeps only their SHA-256, so neither a copy of the store nor a log line signs anyone in.
 */
export const newSecret = (): string => randomBytes(32).toString('base64url');
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** Compares two secrets in constant time (false when either is missing or the lengths differ). */
export function sameSecret(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Where the dashboard is reached: the configured public base, or the running server's own address. */
export interface DashboardLinks {
  base: string | undefined;
  linkMinutes: number;
}

/** A new single-use sign-in link for the person, valid `minutes` from `now`. */
export async function issueLink(db: Q, personId: number, now: Date, links: DashboardLinks & { base: string }): Promise<string> {
  const token = newSecret();
  const expires = new Date(now.getTime() + links.linkMinutes * 60_000);
  await createLink(db, hashSecret(token), personId, now.toISOString(), expires.toISOString());
  return `${links.base}/login?t=${token}`;
}
