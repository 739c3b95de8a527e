import type { Command } from 'commander';
import { discoverConsumers } from '../console/consumers/discoverConsumers.js';
import { openBrowser } from '../console/openBrowser.js';
import { startConsole } from '../console/startConsole.js';
import { collect, integerArgument } from '../support/parseArguments.js';
import { action } from '../support/reportError.js';

interface ConsoleCommandOptions {
  readonly stack?: string[];
  readonly queue?: string[];
  readonly parkingQueue?: string[];
  readonly port: number;
  readonly open: boolean;
}

export function registerConsoleCommand(program: Command): void {
  program
    .command('console')
    .description(
      'Open the operator console in a browser: queues, dead letters grouped by cause, redrive/park/delete.',
    )
    .option('--stack <name>', 'show every consumer of this deployed stack (repeatable)', collect)
    .option('--queue <queue>', 'show the consumer of this work queue: URL, ARN or name (repeatable)', collect)
    .option(
      '--parking-queue <queue>',
      'the parking queue of the --queue in the same position (repeatable)',
      collect,
    )
    .option('--port <port>', 'port on 127.0.0.1 (0: a free one)', integerArgument(0, 65_535), 0)
    .option('--no-open', 'print the URL only; do not open a browser')
    .addHelpText(
      'after',
      `
The console listens on 127.0.0.1 only and prints a URL with a one-time token: anyone without the URL is
refused. It uses your AWS credentials and region (or --endpoint-url for the local runtime). Ctrl-C stops it.

Examples:
  $ sqs-failsafe console --stack OrdersStack
  $ sqs-failsafe console --queue orders --parking-queue orders-parked --no-open
  $ sqs-failsafe --endpoint-url http://127.0.0.1:4566 console --queue orders`,
    )
    .action(
      action(async (options: ConsoleCommandOptions) => {
        const queues = (options.queue ?? []).map((queue, index) => ({
          queue,
          parkingQueue: options.parkingQueue?.[index],
        }));
        const { consumers, problems } = await discoverConsumers({ stacks: options.stack ?? [], queues }, {});
        const running = await startConsole({
          consumers,
          problems,
          port: options.port,
          logger: {
            debug() {},
            info() {},
            warn: (message) => process.stderr.write(`sqs-failsafe: warning: ${message}\n`),
            error: (message) => process.stderr.write(`sqs-failsafe: error: ${message}\n`),
          },
        });
        for (const problem of problems) process.stderr.write(`sqs-failsafe: warning: ${problem}\n`);
        process.stdout.write(
          `Console for ${consumers.length} consumer(s): ${consumers.map((consumer) => consumer.name).join(', ')}\n` +
            `Open ${running.url}\n(the link carries the session's token; Ctrl-C stops the console)\n`,
        );
        if (options.open) openBrowser(running.url);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await running.close();
      }),
    );
}
