import { type Command, Option } from 'commander';
import { findingLines } from '../../lib/liveSetup/findingText.js';
import { type ConsumerDiagnosis, diagnoseConsumers } from '../../lib/liveSetup/liveConsumers.js';
import { type AwsOptions, settingSource } from '../support/awsEnvironment.js';
import { choiceArgument } from '../support/parseArguments.js';
import { plural } from '../support/plural.js';
import { progressBar } from '../support/progressBar.js';
import { action } from '../support/reportError.js';

/** The severity from which findings fail the run (exit code 1), for CI. */
const FAIL_ON = ['error', 'warning', 'never'] as const;

interface DoctorCommandOptions {
  readonly queue?: string;
  readonly function?: string;
  readonly stack?: string;
  readonly json?: boolean;
  readonly failOn: (typeof FAIL_ON)[number];
  readonly progress: boolean;
}

/** The JSON doctor prints with --json; `version` changes when a field changes meaning (docs/doctor.md). */
export interface DoctorReport {
  readonly version: 1;
  readonly consumers: readonly ConsumerDiagnosis[];
  readonly summary: { readonly consumers: number; readonly errors: number; readonly warnings: number };
}

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description(
      'Check SQS consumers an account runs against the setup rules FailsafeConsumer applies at synth: one finding per problem, with the fix. Read-only.',
    )
    // One target at a time, refused by commander as a usage error (exit code 2) before any request.
    .addOption(
      new Option('--queue <queue>', 'the queue to check, with what consumes it: URL, ARN or name').conflicts([
        'function',
        'stack',
      ]),
    )
    .addOption(
      new Option('--function <name>', 'the function whose SQS consumers to check').conflicts('stack'),
    )
    .option('--stack <name>', 'the deployed stack whose SQS consumers to check')
    .option('--json', 'print the findings as JSON')
    .option(
      '--fail-on <severity>',
      `exit with 1 on findings of this severity or worse: ${FAIL_ON.join(', ')}`,
      choiceArgument(FAIL_ON),
      'error',
    )
    .option('--no-progress', 'no progress bar')
    .addHelpText(
      'after',
      '\nGive one of --queue, --function and --stack; without any, every SQS event source mapping in the account and\n' +
        'region is checked. Region, profile and endpoint are the global options (sqs-failsafe --help); against the\n' +
        'local runtime also set AWS_ENDPOINT_URL_LAMBDA, AWS_ENDPOINT_URL_CLOUDWATCH and AWS_ENDPOINT_URL_EVENTBRIDGE\n' +
        '(npm start -- --keep-running prints them).\n' +
        'Examples:\n  $ sqs-failsafe doctor --queue orders\n  $ sqs-failsafe doctor --function orders-consumer --json\n' +
        '  $ sqs-failsafe doctor --stack Orders\n  $ sqs-failsafe doctor --fail-on warning',
    )
    .action(
      action(async (options: DoctorCommandOptions, command: Command) => {
        const bar = progressBar(options.progress && options.json !== true, {
          format: 'Checking |{bar}| {value}/{total} consumers | ETA {eta_formatted}',
        });
        let diagnoses: ConsumerDiagnosis[];
        try {
          diagnoses = await diagnoseConsumers(
            { queue: options.queue, functionName: options.function, stack: options.stack },
            {},
            (done, total) => {
              bar.start(total);
              bar.update(done, {});
            },
          );
        } catch (error) {
          throw sharedEndpointError(error, command.optsWithGlobals()) ?? error;
        } finally {
          bar.stop();
        }
        const report = doctorReport(diagnoses);
        process.stdout.write(
          options.json === true ? `${JSON.stringify(report, null, 2)}\n` : describe(report),
        );
        if (fails(report, options.failOn)) process.exitCode = 1;
      }),
    );
}

/**
 * --endpoint-url (AWS_ENDPOINT_URL) sends every service's calls to one server. The local runtime serves SQS
 * there and Lambda and CloudWatch on ports of their own, so without AWS_ENDPOINT_URL_LAMBDA doctor's Lambda
 * calls reach the SQS server, which answers in a format the Lambda client cannot read: said as what to set.
 */
function sharedEndpointError(error: unknown, options: AwsOptions): Error | undefined {
  const endpoint = settingSource('endpointUrl', options);
  if (endpoint === undefined || process.env.AWS_ENDPOINT_URL_LAMBDA !== undefined) return undefined;
  // doctor's own sentences (a stack it could not list, ...) already say what to do.
  if (!(error instanceof Error) || error.name === 'Error') return undefined;
  const notThisService =
    error.name === 'SyntaxError' ||
    /Deserialization error|Unknown action|UnknownOperation/i.test(error.message) ||
    /InvalidAction|UnknownOperation/.test(error.name);
  if (!notThisService) return undefined;
  return new Error(
    `doctor's Lambda calls went to ${endpoint.value} (${endpoint.from}), which does not answer them as Lambda ` +
      `does. Set AWS_ENDPOINT_URL_LAMBDA, AWS_ENDPOINT_URL_CLOUDWATCH and AWS_ENDPOINT_URL_EVENTBRIDGE to the ` +
      'Lambda, CloudWatch and EventBridge endpoints (npm start -- --keep-running prints them), or unset the endpoint to read AWS.',
  );
}

export function doctorReport(consumers: readonly ConsumerDiagnosis[]): DoctorReport {
  const findings = consumers.flatMap((consumer) => consumer.findings);
  return {
    version: 1,
    consumers,
    summary: {
      consumers: consumers.length,
      errors: findings.filter((finding) => finding.severity === 'error').length,
      warnings: findings.filter((finding) => finding.severity === 'warning').length,
    },
  };
}

function fails({ summary }: DoctorReport, failOn: DoctorCommandOptions['failOn']): boolean {
  if (failOn === 'never') return false;
  return summary.errors > 0 || (failOn === 'warning' && summary.warnings > 0);
}

function describe({ consumers, summary }: DoctorReport): string {
  const lines: string[] = [];
  for (const consumer of consumers) {
    const name = `${consumer.queueName}${consumer.functionName === undefined ? ' (nothing consumes it)' : ` → ${consumer.functionName}`}`;
    lines.push(
      consumer.findings.length === 0
        ? `${name}: no findings`
        : `${name}: ${plural(consumer.findings.length, 'finding')}`,
    );
    for (const finding of consumer.findings) lines.push(...findingLines(finding).map((line) => `  ${line}`));
    for (const unread of consumer.unread)
      lines.push(`  not read (the rules that need it said nothing): ${unread}`);
  }
  lines.push(
    summary.consumers === 0
      ? 'No SQS consumers found.'
      : `${plural(summary.consumers, 'consumer')} checked: ${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')}.`,
  );
  return `${lines.join('\n')}\n`;
}
