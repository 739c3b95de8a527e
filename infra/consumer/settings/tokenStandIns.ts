import { Token } from 'aws-cdk-lib';

/** What an unresolved token (a reference only known on deploy) is replaced with before a schema judges it. */
export const TOKEN_STAND_IN = '<token>';

/**
 * A copy of a configuration with every unresolved token (a string or number a deploy fills in, such as another
 * resource's ARN) replaced by TOKEN_STAND_IN, for the runtime's schema to judge everything else as the function
 * will at cold start. What the schema says about a stand-in is dropped (withoutTokenProblems): a token's value is
 * not known before the deploy, and the construct's own references are valid by construction.
 *
 * @example
 * batchConfigProblems(withTokenStandIns(config)).filter(isNotAboutAToken)
 */
export function withTokenStandIns(value: unknown): unknown {
  if ((typeof value === 'string' || typeof value === 'number') && Token.isUnresolved(value))
    return TOKEN_STAND_IN;
  if (Array.isArray(value)) return value.map(withTokenStandIns);
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, withTokenStandIns(entry)]));
  }
  return value;
}

/** Whether a schema problem line (`path: must be ... (got "<token>")`) is about a stand-in. */
export function isNotAboutAToken(line: string): boolean {
  return !line.endsWith(`(got ${JSON.stringify(TOKEN_STAND_IN)})`);
}
