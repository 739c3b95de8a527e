import type { Command } from 'commander';

/**
 * A usage error is one line that ends by saying where the flags are listed, `(see sqs-failsafe redrive
 * --help)`, instead of the whole help, which would scroll the error out of sight.
 */
export function pointToHelp(command: Command, invocation = commandPath(command)): void {
  command.configureOutput({
    outputError: (text, write) => write(`${text.trimEnd()} (see ${invocation} --help)\n`),
  });
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current !== null; current = current.parent)
    names.unshift(current.name());
  return names.join(' ');
}
