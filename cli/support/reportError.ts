import { FailsafeError, InvalidOptionsError } from '../../lib/errors.js';

/**
 * Turns anything thrown into one line on stderr and a non-zero exit code: an operator reads one clear
 * sentence, a script sees the failure in `$?`. Invalid options list their problems on that line.
 */
export function reportError(error: unknown, stderr: NodeJS.WritableStream = process.stderr): void {
  stderr.write(`sqs-failsafe: ${oneLine(error)}\n`);
  process.exitCode = 1;
}

export function oneLine(error: unknown): string {
  if (error instanceof InvalidOptionsError) return error.problems.join('; ');
  if (error instanceof Error) {
    const text = error.message.replace(/\s*\n\s*/g, ' ').trim();
    // Our own errors are sentences already; SDK errors are clearest with their name (AccessDenied, ...).
    if (error instanceof FailsafeError || error.name === 'Error' || text.startsWith(error.name)) return text;
    return `${error.name}: ${text}`;
  }
  return String(error);
}

/** Runs a command's action and reports its failure instead of letting it crash with a stack trace. */
export function action<TArgs extends unknown[]>(
  run: (...args: TArgs) => Promise<void>,
): (...args: TArgs) => Promise<void> {
  return async (...args) => {
    try {
      await run(...args);
    } catch (error) {
      reportError(error);
    }
  };
}
