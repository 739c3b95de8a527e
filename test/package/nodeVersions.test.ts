import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalAws, startLocalAws } from '../helpers/localAws.js';
import { childEnvironment, nodeBinary, run, runAsync, tryRun } from './helpers/projectCommands.js';

/**
 * The published package on the Node.js versions it supports (22 for Lambda's nodejs22.x, 24), and a clear
 * sentence on older ones. The README's blocks run on both in readme.test.ts; here the CLI and the runtime's
 * entry point.
 */
const project = inject('packedProject').directory;
const bin = join(project, 'node_modules', '.bin', 'sqs-failsafe');

/**
 * An older Node.js, simulated on Node 22: it reports version 20 and lacks what Node 22 added and the runtime
 * uses. (Node 20 itself is not installed by npm ci.)
 */
const OLD_NODE = `data:text/javascript,${encodeURIComponent(
  "Object.defineProperty(process.versions, 'node', { value: '20.19.5' }); delete Promise.withResolvers; delete Map.groupBy;",
)}`;

const HANDLER = `
import { createBatchHandler } from 'sqs-failsafe';
const handler = createBatchHandler(async () => {});
const event = { Records: [{ messageId: 'm-1', receiptHandle: 'r', body: '{}', attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1', SenderId: 's', ApproximateFirstReceiveTimestamp: '1' }, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:eu-west-1:111122223333:orders', awsRegion: 'eu-west-1' }] };
console.log(JSON.stringify(await handler(event, { getRemainingTimeInMillis: () => 30_000 })));
`;

describe('the packed package on each Node.js', () => {
  let server: LocalAws;
  let queue: string;

  beforeAll(async () => {
    server = await startLocalAws();
    queue = (await server.createQueue('node-versions')).name;
    writeFileSync(join(project, 'handler-on-node.mjs'), HANDLER);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it.each(['22', '24'] as const)('runs the CLI on Node %s against an SQS endpoint', async (major) => {
    const environment = { ...childEnvironment, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
    // Not blocking: the SQS endpoint runs in this process.
    const output = await runAsync(
      nodeBinary(major),
      [bin, '--endpoint-url', server.endpoint as string, '--region', server.region, 'stats', queue, '--json'],
      project,
      environment,
    );
    expect(JSON.parse(output)).toEqual([expect.objectContaining({ name: queue, visible: 0 })]);
  });

  it.each(['22', '24'] as const)('runs a handler built with the runtime on Node %s', (major) => {
    const output = run(nodeBinary(major), ['handler-on-node.mjs'], project);
    expect(JSON.parse(output)).toEqual({ batchItemFailures: [] });
  });

  it('tells a user on an older Node.js which versions to use, from the runtime and from the CLI', () => {
    const handler = tryRun(nodeBinary('22'), ['--import', OLD_NODE, 'handler-on-node.mjs'], project);
    expect(handler.code).not.toBe(0);
    expect(handler.stderr).toContain(
      'UnsupportedNodeError: sqs-failsafe needs Node.js 22 or later, and this is Node.js 20.19.5: choose the ' +
        'nodejs22.x or nodejs24.x Lambda runtime',
    );
    expect(handler.stderr).not.toMatch(/is not a function/);

    const cli = tryRun(nodeBinary('22'), ['--import', OLD_NODE, bin, '--version'], project);
    expect(cli.code).toBe(1);
    expect(cli.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^sqs-failsafe: needs Node\.js 22 or later, and this is Node\.js 20\.19\.5 \(.*\)\. Install Node\.js 22 or 24/,
      ),
    ]);
  });
});
