import type { Command } from 'commander';
import { type AttemptHistory, describeNotAttempted } from '../../lib/attempts/attemptHistory.js';
import type { PeekedMessage } from '../../lib/redrive/peekDeadLetters.js';
import { peekDeadLetters } from '../../lib/redrive/peekDeadLetters.js';
import { integerArgument } from '../support/parseArguments.js';
import { plural } from '../support/plural.js';
import { action } from '../support/reportError.js';

interface PeekCommandOptions {
  readonly max: number;
  readonly json?: boolean;
  readonly full?: boolean;
  readonly cause?: string;
}

/** Bodies are cut to this in the human view; --full or --json show them whole. */
const BODY_PREVIEW = 200;

export function registerPeekCommand(program: Command): void {
  program
    .command('peek')
    .description('Show dead-lettered messages and their failure metadata without consuming them.')
    .argument('<queue>', 'the DLQ: URL, ARN or name')
    .option('--max <n>', 'messages to show', integerArgument(1, 1_000), 10)
    .option('--full', 'show whole bodies')
    .option('--cause <id>', 'only messages of this cause (a fingerprint id from stats --by-cause)')
    .option('--json', 'print the messages as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ sqs-failsafe peek orders-dlq --max 5\n  $ sqs-failsafe peek orders-dlq --cause 01e4a793',
    )
    .action(
      action(async (queue: string, options: PeekCommandOptions) => {
        const result = await peekDeadLetters({
          queue,
          max: options.max,
          ...(options.cause === undefined ? {} : { filter: { fingerprint: options.cause } }),
        });
        if (options.json === true) {
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
          return;
        }
        const lines = [
          `${result.queueUrl}: about ${plural(result.approximateDepth, 'message')}; showing ${result.messages.length}`,
        ];
        for (const message of result.messages) lines.push('', ...describe(message, options.full === true));
        process.stdout.write(`${lines.join('\n')}\n`);
      }),
    );
}

function describe(message: PeekedMessage, full: boolean): string[] {
  const { failure } = message;
  const body =
    full || message.body.length <= BODY_PREVIEW ? message.body : `${message.body.slice(0, BODY_PREVIEW)}…`;
  return [
    `${message.messageId}${message.messageGroupId === undefined ? '' : `  group ${message.messageGroupId}`}`,
    `  sent ${message.sentAt ?? '-'}, received ${message.receiveCount}x, redriven ${message.redriveCount}x`,
    ...(failure === undefined
      ? ['  no failure metadata (moved by the queue redrive policy)']
      : [
          `  ${failure.errorClass}: ${failure.errorMessage}`,
          `  cause ${message.cause.id}: ${message.cause.label}`,
          // A record without a usable receive count was dead-lettered without one (docs/runtime.md, "Bad input").
          `  ${failure.reason} after ${failure.receiveCount === undefined ? 'an unknown number of receives' : plural(failure.receiveCount, 'receive')}, ${plural(failure.attempts, 'attempt')}, by ${failure.functionName}`,
          `  from ${failure.sourceQueueArn}, dead-lettered ${failure.deadLetteredAt}`,
          ...describeHistory(failure.history),
        ]),
    ...(message.deadLetterQueueSourceArn === undefined
      ? []
      : [`  source ${message.deadLetterQueueSourceArn}`]),
    ...Object.entries(message.attributes).map(([name, value]) => `  attribute ${name} = ${value}`),
    `  body ${body}`,
  ];
}

/** The attempt history: one line per attempt, then the receives that were not attempts. */
function describeHistory(history: AttemptHistory | undefined): string[] {
  if (history === undefined) return [];
  const lines = [`  message ${history.messageId}, first sent ${history.firstSentAt}`];
  history.entries.forEach((entry, index) => {
    // The left-out middle of a long history sits between the first and the last kept attempts.
    const number = index < history.entries.length / 2 ? index + 1 : index + 1 + history.omittedEntries;
    if (history.omittedEntries > 0 && index === Math.ceil(history.entries.length / 2))
      lines.push(`    ... ${history.omittedEntries} attempt(s) not kept`);
    lines.push(
      `    attempt ${number} at ${entry.at} in ${entry.invocation}: ${entry.errorClass}: ${entry.errorMessage} ` +
        `(${entry.durationMs} ms, ${entry.calls} call(s))`,
    );
  });
  lines.push(`  receives that were not attempts: ${describeNotAttempted(history)}`);
  return lines;
}
