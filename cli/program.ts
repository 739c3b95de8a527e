import { Command } from 'commander';
import { COMMANDS } from './commands/index.js';
import { packageVersion } from './packageVersion.js';

/**
 * The `sqs-failsafe` command line: --version, --help, and the subcommands registered in commands/.
 *
 * @example
 * await createProgram().parseAsync(process.argv);
 */
export function createProgram(): Command {
  const program = new Command('sqs-failsafe')
    .description('Operate SQS queues consumed with sqs-failsafe: dead-letter queues, redrive, statistics.')
    .version(packageVersion(), '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError();
  for (const register of COMMANDS) register(program);
  // Without a subcommand there is nothing to do but explain what there is.
  program.action(() => program.help());
  return program;
}
