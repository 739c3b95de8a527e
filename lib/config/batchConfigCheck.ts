import { InvalidOptionsError } from '../errors.js';
import { BATCH_CONFIG_ACCEPTS, BATCH_OPTIONS_ACCEPTS } from './acceptance/batchConfigAcceptance.js';
import {
  attemptsHaveAPlace,
  BATCH_CONFIG_ENV_VAR,
  type BatchConfig,
  type BatchConfigParts,
} from './batchConfig.js';
import { listProblems as listProblemsHere } from './configProblemList.js';
import { envVarSubject, readJsonEnvVar } from './readJsonEnvVar.js';
import { isPlainObject } from './schemaPredicates.js';

/**
 * Set by infra/bundling/bundleLambda.ts (esbuild `define`) when it writes configProblemList to a file of
 * its own beside this code: the file's name. Unset everywhere else (tests, other bundlers), where the
 * module is imported as usual.
 */
declare const SQS_FAILSAFE_PROBLEM_LIST_FILE: string | undefined;

let apart: { listProblems: typeof listProblemsHere } | undefined;

/**
 * The problem list, loaded on first use when it is a file apart: only a configuration the compiled checks
 * refuse needs it, so a cold start neither reads it nor builds valibot's schemas. Loaded synchronously (a
 * bad configuration is refused by a throw while the handler is created), as CommonJS, which every Node.js
 * requires synchronously.
 */
const listProblems: typeof listProblemsHere =
  typeof SQS_FAILSAFE_PROBLEM_LIST_FILE === 'string'
    ? (kind, input) => {
        try {
          apart ??= process.getBuiltinModule('node:module').createRequire(import.meta.url)(
            `./${SQS_FAILSAFE_PROBLEM_LIST_FILE}`,
          ) as typeof apart;
        } catch (error) {
          // A bundle deployed without its files: the configuration is still refused, saying why it is vague.
          return [
            `could not be checked in full: ${SQS_FAILSAFE_PROBLEM_LIST_FILE}, which checks it, did not load (${String(error).split('\n')[0]}): deploy every file of the bundle`,
          ];
        }
        return (apart as { listProblems: typeof listProblemsHere }).listProblems(kind, input);
      }
    : listProblemsHere;

/**
 * How a configuration is checked at cold start: by the compiled form of its schemas
 * (acceptance/batchConfigAcceptance.ts), which answers yes or no in a fraction of the time valibot takes to
 * build and run them. What it accepts, valibot accepts; what it refuses, `listProblems` (the schemas) lists
 * one problem per line (docs/benchmarks.md, "The configuration checked by compiled code").
 */
export function batchConfigCheck(
  accepts: BatchConfigParts<(input: unknown) => boolean>,
  list: (input: unknown) => string[],
): (input: unknown) => string[] {
  return (input) => {
    // An array is an object to the schema, and a number or string would only read "is required".
    if (!isPlainObject(input))
      return [
        `options: must be an object such as { "retry": { "maxAttempts": 3 } } (got ${JSON.stringify(input)})`,
      ];
    return acceptedWhole(input as Record<string, unknown>, accepts) ? [] : list(input);
  };
}

/** The decisions listProblems takes, taken by the compiled checks. */
function acceptedWhole(
  input: Record<string, unknown>,
  accepts: BatchConfigParts<(input: unknown) => boolean>,
): boolean {
  if (!accepts.top(input)) return false;
  const { retry, dependencyBreaker, idempotency } = input;
  if (retry !== undefined && retry !== false) {
    if (!accepts.retry(retry)) return false;
    const budget = (retry as { budget?: unknown }).budget;
    if (budget !== undefined && budget !== false && !(isPlainObject(budget) && accepts.retryBudget(budget)))
      return false;
  }
  const objectOrFalse = (value: unknown, accept: (input: unknown) => boolean) =>
    value === undefined || value === false || (isPlainObject(value) && accept(value));
  return (
    objectOrFalse(dependencyBreaker, accepts.dependencyBreaker) &&
    objectOrFalse(idempotency, accepts.idempotency) &&
    attemptsHaveAPlace(input as BatchConfig)
  );
}

/** Every problem with a batch configuration (empty when it is valid). */
export const batchConfigProblems: (input: unknown) => string[] = batchConfigCheck(
  BATCH_CONFIG_ACCEPTS,
  (input) => listProblems('config', input),
);

/**
 * Why counted attempts have no place in a configuration merged from code options and the environment
 * (empty when attemptsHaveAPlace). Worded by the problem list.
 */
export const mergedAttemptProblems = (config: BatchConfig): string[] =>
  attemptsHaveAPlace(config) ? [] : listProblems('attempts', config);

/** Every problem with code options (empty when they are valid). */
export const batchOptionsProblems: (input: unknown) => string[] = batchConfigCheck(
  BATCH_OPTIONS_ACCEPTS,
  (input) => listProblems('options', input),
);

/**
 * Reads the configuration the construct put in the environment. Absent: an empty configuration. Present
 * but invalid: one InvalidOptionsError listing every problem, thrown at cold start so a bad deployment
 * fails loudly before it touches a message.
 *
 * @example
 * const config = readBatchConfig(); // { version: 1, retry: { maxAttempts: 2 }, ... }
 */
export function readBatchConfig(env: NodeJS.ProcessEnv = process.env): BatchConfig {
  const parsed = readJsonEnvVar(env, BATCH_CONFIG_ENV_VAR);
  if (parsed === undefined) return {};
  const problems = batchConfigProblems(parsed);
  if (problems.length > 0) throw new InvalidOptionsError(envVarSubject(BATCH_CONFIG_ENV_VAR), problems);
  return parsed as BatchConfig;
}
