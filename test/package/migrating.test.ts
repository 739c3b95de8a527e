import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { FauxqsServer } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startLoopbackFauxqs } from '../../local/support/startLoopbackFauxqs.js';
import { markdownCodeBlocks } from '../helpers/markdownCodeBlocks.js';
import { eventOf, fifoRecord, sqsRecord } from '../helpers/sqsEvents.js';
import { writeBlocksProject } from './helpers/blocksProject.js';
import {
  childEnvironment,
  nodeBinary,
  REPOSITORY,
  run,
  runAsync,
  tryRun,
} from './helpers/projectCommands.js';

/**
 * docs/migrating.md, as written: every TypeScript block is written to the file its first line names and
 * compiled against the installed package (the "before" blocks against Powertools and Middy, which the guide's
 * install line adds); then each "before" handler and its "after" answer the same batch, and must report the
 * same failed records; and the "after" handler, given the guide's SQS_FAILSAFE_CONFIG, dead-letters the record
 * that can never succeed at once, with its failure metadata.
 */
const GUIDE = readFileSync(join(REPOSITORY, 'docs/migrating.md'), 'utf8');
const blocks = markdownCodeBlocks(GUIDE, ['ts', 'typescript']);

/** Each "before" file and the "after" file that replaces it, as the guide pairs them. */
const PAIRS = [
  ['src/before/orders-powertools.js', 'src/after/orders.js'],
  ['src/before/orders-middy.js', 'src/after/orders-middy.js'],
  ['src/before/payments-powertools-fifo.js', 'src/after/payments-fifo.js'],
] as const;

/**
 * Imports the compiled modules named on the command line (all of them without), calls each `handler` with the
 * standard event (the FIFO one for a file with `fifo` in its name) and writes the responses, or the error
 * thrown, to results-<label>.json.
 */
const RUNNER = `
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [label, ...only] = process.argv.slice(2);
const standard = JSON.parse(readFileSync('event.json', 'utf8'));
const fifo = JSON.parse(readFileSync('fifo-event.json', 'utf8'));
const context = { functionName: 'orders', awsRequestId: 'migrating', getRemainingTimeInMillis: () => 30_000 };
const files = only.length > 0
  ? only
  : readdirSync('out', { recursive: true }).filter((name) => name.endsWith('.js')).sort();
const results = {};
for (const file of files) {
  const module = await import(pathToFileURL(join('out', file)).href);
  if (typeof module.handler !== 'function') continue;
  try {
    results[file] = await module.handler(file.includes('fifo') ? fifo : standard, context);
  } catch (error) {
    results[file] = { threw: error.name };
  }
}
writeFileSync(\`results-\${label}.json\`, JSON.stringify(results, null, 2));
`;

describe('docs/migrating.md, in a new project', () => {
  const project = join(inject('packedProject').directory, 'migrating');
  const saved = sqsRecord({ body: JSON.stringify({ orderId: 'o-1', total: 25 }) });
  const review = sqsRecord({
    body: JSON.stringify({ orderId: 'o-2', total: 20_000 }),
    messageAttributes: {},
  });
  const paid = fifoRecord('g1', { body: JSON.stringify({ paymentId: 'p-1', amount: 10 }) });
  const empty = fifoRecord('g1', { body: JSON.stringify({ paymentId: 'p-2', amount: 0 }) });
  const behind = fifoRecord('g1', { body: JSON.stringify({ paymentId: 'p-3', amount: 5 }) });
  const otherGroup = fifoRecord('g2', { body: JSON.stringify({ paymentId: 'p-4', amount: 7 }) });
  let server: FauxqsServer | undefined;

  beforeAll(() => {
    writeBlocksProject(project, blocks);
    writeFileSync(join(project, 'event.json'), JSON.stringify(eventOf([saved, review])));
    writeFileSync(
      join(project, 'fifo-event.json'),
      JSON.stringify(eventOf([paid, empty, behind, otherGroup])),
    );
    writeFileSync(join(project, 'runner.mjs'), RUNNER);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('names a file in the first line of every TypeScript block, a "before" and an "after" for each peer', () => {
    expect(blocks.filter((block) => block.file === undefined).map((block) => `line ${block.line}`)).toEqual(
      [],
    );
    const files = blocks.map((block) => block.file?.replace(/\.ts$/, '.js'));
    expect(files).toEqual(expect.arrayContaining(PAIRS.flat()));
  });

  it('tells the reader to install what the blocks import, the peers of the "before" code included', () => {
    expect(inject('packedProject').migratingPackages).toEqual(
      expect.arrayContaining([
        'sqs-failsafe',
        '@aws-lambda-powertools/batch',
        '@middy/core',
        '@middy/sqs-partial-batch-failure',
        '@types/aws-lambda',
      ]),
    );
  });

  it('compiles against the packed package and the peers (strict, NodeNext)', () => {
    const tsc = join(project, '..', 'node_modules', 'typescript', 'bin', 'tsc');
    const compiled = tryRun(nodeBinary('24'), [tsc, '-p', '.'], project);
    expect(compiled.stdout + compiled.stderr).toBe('');
    expect(compiled.code).toBe(0);
  });

  it('reports the same failed records before and after, for each peer', () => {
    // Act
    run(nodeBinary('24'), ['runner.mjs', 'pairs'], project, {
      ...childEnvironment,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      AWS_REGION: 'eu-west-1',
    });

    // Assess
    const results = JSON.parse(readFileSync(join(project, 'results-pairs.json'), 'utf8'));
    const failed = (...records: { messageId: string }[]) => ({
      batchItemFailures: records.map((record) => ({ itemIdentifier: record.messageId })),
    });
    for (const [before, after] of PAIRS)
      expect(results[after], `${before} -> ${after}`).toEqual(results[before]);
    expect(results['src/after/orders.js']).toEqual(failed(review));
    expect(results['src/after/payments-fifo.js']).toEqual(failed(empty, behind));
  });

  it("dead-letters at once, with metadata, given the guide's SQS_FAILSAFE_CONFIG", async () => {
    // Arrange: the guide's configuration, with its DLQ on an embedded server
    server = await startLoopbackFauxqs({ port: 0, logger: false });
    const sqs = new SQSClient({
      region: 'eu-west-1',
      endpoint: server.address,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const { QueueUrl: dlqUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'orders-dlq' }));
    const shown = /SQS_FAILSAFE_CONFIG='([^']+)'/.exec(GUIDE)?.[1];
    expect(shown).toBeDefined();
    const config = JSON.parse(shown as string);
    config.deadLetter.queueUrl = dlqUrl;

    // Act
    await runAsync(nodeBinary('24'), ['runner.mjs', 'configured', 'src/after/orders.js'], project, {
      ...childEnvironment,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL: server.address,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      SQS_FAILSAFE_CONFIG: JSON.stringify(config),
    });

    // Assess: nothing left to SQS; the order that needs review is in the DLQ, saying why
    const results = JSON.parse(readFileSync(join(project, 'results-configured.json'), 'utf8'));
    expect(results['src/after/orders.js']).toEqual({ batchItemFailures: [] });
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlqUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
      }),
    );
    expect(Messages.map((message) => message.Body)).toEqual([review.body]);
    expect(Messages[0]?.MessageAttributes?.['failsafe.reason']?.StringValue).toBe('permanent-error');
    expect(Messages[0]?.MessageAttributes?.['failsafe.errorMessage']?.StringValue).toBe(
      'needs manual review',
    );
    sqs.destroy();
  });
});
