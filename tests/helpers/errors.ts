import { UserError } from '../../src/domain/errors.js';

/**
 * The UserError a call throws, as `{ key, params }`, or `undefined` when it does not throw.
 * Any other exception is rethrown: domain checks must fail only with keyed user errors.
 */
export function userErrorOf(fn: () => unknown): { key: string; params: unknown } | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof UserError) return { key: err.key, params: err.params };
    throw err;
  }
  return undefined;
}
