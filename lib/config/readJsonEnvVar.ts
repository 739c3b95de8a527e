import { InvalidOptionsError } from '../errors.js';

/** How errors name a configuration that came from the environment. */
export const envVarSubject = (name: string): string => `${name} environment variable`;

/**
 * The JSON value a deployment put in an environment variable; undefined when the variable is unset or
 * blank, so each caller decides whether that is allowed. Not JSON: an InvalidOptionsError naming the
 * variable, thrown at cold start before the function touches a message.
 */
export function readJsonEnvVar(env: NodeJS.ProcessEnv, name: string): unknown {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new InvalidOptionsError(envVarSubject(name), [
      `is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    ]);
  }
}
