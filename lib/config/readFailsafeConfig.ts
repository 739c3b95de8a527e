import { InvalidOptionsError } from '../errors.js';
import { configProblems } from './configSchemas.js';
import { CONFIG_ENV_VAR, type FailsafeConfig } from './failsafeConfig.js';
import { envVarSubject, readJsonEnvVar } from './readJsonEnvVar.js';

/**
 * Reads the configuration the construct put in the environment. Absent: an empty configuration. Present
 * but invalid: one InvalidOptionsError listing every problem, thrown at cold start so a bad deployment
 * fails loudly before it touches a message.
 */
export function readFailsafeConfig(env: NodeJS.ProcessEnv = process.env): FailsafeConfig {
  const parsed = readJsonEnvVar(env, CONFIG_ENV_VAR);
  if (parsed === undefined) return {};
  const problems = configProblems(parsed);
  if (problems.length > 0) throw new InvalidOptionsError(envVarSubject(CONFIG_ENV_VAR), problems);
  return parsed as FailsafeConfig;
}
