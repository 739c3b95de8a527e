import { InvalidOptionsError } from '../errors.js';
import { configProblems } from './configSchemas.js';
import { CONFIG_ENV_VAR, type FailsafeConfig } from './failsafeConfig.js';

/**
 * Reads the configuration the construct put in the environment. Absent: an empty configuration. Present
 * but invalid: one InvalidOptionsError listing every problem, thrown at cold start so a bad deployment
 * fails loudly before it touches a message.
 */
export function readFailsafeConfig(env: NodeJS.ProcessEnv = process.env): FailsafeConfig {
  const raw = env[CONFIG_ENV_VAR];
  if (raw === undefined || raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new InvalidOptionsError(`${CONFIG_ENV_VAR} environment variable`, [
      `is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    ]);
  }
  const problems = configProblems(parsed);
  if (problems.length > 0) throw new InvalidOptionsError(`${CONFIG_ENV_VAR} environment variable`, problems);
  return parsed as FailsafeConfig;
}
