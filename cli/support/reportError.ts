import type { Command } from 'commander';
import { FailsafeError, InvalidOptionsError } from '../../lib/errors.js';
import { type AwsOptions, endpointVariableProblem } from './awsEnvironment.js';
import { explainAwsError } from './explainAwsError.js';
import { withFlagNames } from './flagNames.js';

/**
 * Turns anything thrown into one line on stderr and a non-zero exit code: an operator reads one clear
 * sentence naming what to change, a script sees the failure in `$?`. Invalid options list their problems
 * on that line, with the CLI's flag names.
 */
export function reportError(
  error: unknown,
  options: AwsOptions = {},
  stderr: NodeJS.WritableStream = process.stderr,
): void {
  stderr.write(`sqs-failsafe: ${oneLine(error, options)}\n`);
  process.exitCode = 1;
}

export function oneLine(error: unknown, options: AwsOptions = {}): string {
  if (error instanceof InvalidOptionsError) return error.problems.map(withFlagNames).join('; ');
  const explained = explainAwsError(error, options);
  if (explained !== undefined) return explained;
  if (error instanceof Error) {
    const text = error.message.replace(/\s*\n\s*/g, ' ').trim();
    // Our own errors are sentences already; SDK errors are clearest with their name (AccessDenied, ...).
    if (error instanceof FailsafeError || error.name === 'Error' || text.startsWith(error.name)) return text;
    return `${error.name}: ${text}`;
  }
  return String(error);
}

/**
 * Runs a command's action and reports its failure instead of letting it crash with a stack trace. Commander
 * passes the command last; its global options say where the AWS settings came from.
 */
export function action<TArgs extends unknown[]>(
  run: (...args: TArgs) => Promise<void>,
): (...args: TArgs) => Promise<void> {
  return async (...args) => {
    const command = args.at(-1) as Command | undefined;
    const options: AwsOptions = command?.optsWithGlobals?.() ?? {};
    try {
      const problem = endpointVariableProblem(options);
      if (problem !== undefined) throw new Error(problem);
      await run(...args);
    } catch (error) {
      reportError(error, options);
    }
  };
}
