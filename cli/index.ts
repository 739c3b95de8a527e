#!/usr/bin/env node
import { Command } from 'commander';
import { registerPeekCommand } from './commands/peek.js';
import { registerRedriveCommand } from './commands/redrive.js';
import { registerStatsCommand } from './commands/stats.js';
import { applyAwsOptions } from './support/awsEnvironment.js';
import { packageVersion } from './support/packageVersion.js';

/**
 * `sqs-failsafe`: operate dead-letter queues from a terminal. Endpoint, region and credentials come from
 * the standard AWS environment and profiles (or the global options below), so the same commands work
 * against AWS, LocalStack or a local server.
 */
const program = new Command()
  .name('sqs-failsafe')
  .description('Redrive, inspect and measure SQS dead-letter queues.')
  .version(packageVersion())
  .option('--profile <name>', 'AWS profile (else AWS_PROFILE)')
  .option('--region <region>', 'AWS region (else AWS_REGION or the profile)')
  .option('--endpoint-url <url>', 'SQS endpoint, e.g. http://localhost:4566 (else AWS_ENDPOINT_URL)')
  // Usage errors exit with 2 (commander has printed its one line), so scripts can tell them from failures.
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
  .hook('preAction', (command) => applyAwsOptions(command.opts()));

registerRedriveCommand(program);
registerPeekCommand(program);
registerStatsCommand(program);

await program.parseAsync(process.argv);
