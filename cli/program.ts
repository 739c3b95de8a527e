import { Command } from 'commander';
import { COMMANDS } from './commands/index.js';
import { packageVersion } from './packageVersion.js';
import { applyAwsOptions, endpointVariableProblem } from './support/awsEnvironment.js';
import { urlArgument } from './support/parseArguments.js';
import { pointToHelp } from './support/pointToHelp.js';
import {
  checkRequestEndpoints,
  endpointSettings,
  queueReferencesOf,
  RequestEndpointError,
} from './support/requestEndpoints.js';

/**
 * The `sqs-failsafe` command line: --version, --help, and the subcommands registered in commands/.
 * Endpoint, region and credentials come from the standard AWS environment and profiles (or the global
 * options below), so the same commands work against AWS, LocalStack or a local server.
 *
 * @example
 * await createProgram().parseAsync(process.argv);
 */
export function createProgram(): Command {
  const program = new Command('sqs-failsafe')
    .description('Operate SQS queues consumed with sqs-failsafe: dead-letter queues, redrive, statistics.')
    .version(packageVersion(), '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .option('--profile <name>', 'AWS profile (else AWS_PROFILE)')
    .option('--region <region>', 'AWS region (else AWS_REGION or the profile)')
    .option(
      '--endpoint-url <url>',
      'SQS endpoint, e.g. http://localhost:4566 (else AWS_ENDPOINT_URL)',
      urlArgument('http://localhost:4566'),
    )
    // Usage errors exit with 2 (commander has printed its one line), so scripts can tell them from failures.
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
    .hook('preAction', (command, actionCommand) => {
      applyAwsOptions(command.opts());
      signOnlyForKnownEndpoints(command, actionCommand);
    });
  for (const register of COMMANDS) register(program);
  const names = program.commands.map((command) => command.name());
  // Without a subcommand there is nothing to do but explain what there is; a word that is not a command
  // gets the list of those that are (commander would only say "too many arguments").
  program.allowExcessArguments().action((_options, command: Command) => {
    const [word] = command.args;
    if (word === undefined) program.help();
    command.error(`error: unknown command '${word}'; the commands are ${names.join(', ')}.`, {
      exitCode: 2,
      code: 'commander.unknownCommand',
    });
  });
  for (const command of [program, ...program.commands]) pointToHelp(command);
  return program;
}

/**
 * Before any request: the queues a command names and the endpoint must be where the operator's signed requests
 * may go (cli/support/requestEndpoints.ts), else a usage error (exit 2). A queue URL alone sets the region
 * when none is configured, so that requests are signed for the region they go to.
 */
function signOnlyForKnownEndpoints(program: Command, actionCommand: Command): void {
  // An AWS_ENDPOINT_URL that is no URL gets its own sentence from the command's action, before any request.
  if (endpointVariableProblem(program.opts()) !== undefined) return;
  try {
    const region = checkRequestEndpoints(
      queueReferencesOf(actionCommand),
      endpointSettings(process.env, program.opts()),
    );
    if (region !== undefined && process.env.AWS_REGION === undefined) process.env.AWS_REGION = region;
  } catch (error) {
    if (!(error instanceof RequestEndpointError)) throw error;
    program.error(`error: ${error.message}`, { exitCode: 2, code: 'sqs-failsafe.requestEndpoint' });
  }
}
