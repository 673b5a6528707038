import { createHmac } from 'node:crypto';

/**
 * The `sign` query value of a custom robot with signing ("jia qian") on:
 * urlencode(base64(HMAC-SHA256(key = secret, msg = timestamp + "\n" + secret))).
 * See https://open.dingtalk.com/document/robots/customize-robot-security-settings
 * @example customRobotSign('SEC123', 1764550800000) // 'k%2B...%3D' (already URL-encoded)
 */
export function customRobotSign(secret: string, timestampMs: number): string {
  const digest = createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
  return encodeURIComponent(digest);
}
