import type { TextKey, TextParams } from '../text/index.js';

/**
 * A problem the user can fix: a text key plus parameters. The dispatcher turns it into the reply;
 * the domain names the problem, src/text words it.
 */
export class UserError<K extends TextKey = TextKey> extends Error {
  constructor(
    readonly key: K,
    readonly params: TextParams<K>,
  ) {
    super(key);
    this.name = 'UserError';
  }
}

export function userError<K extends TextKey>(key: K, params: TextParams<K>): UserError<K> {
  return new UserError(key, params);
}
