import { globSync, readFileSync } from 'node:fs';
import { Server } from 'node:net';
import { join } from 'node:path';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startLoopbackFauxqs } from '../../../local/support/startLoopbackFauxqs.js';
import { FIXTURE_FUNCTIONS, startRuntime, synthesizeFixtureApp } from '../../helpers/localRuntimeHarness.js';

/** Every server that starts listening while `run` runs, and the address it ends up on. */
async function listeningDuring(run: () => Promise<unknown>): Promise<string[]> {
  const servers: Server[] = [];
  const listen = Server.prototype.listen;
  vi.spyOn(Server.prototype, 'listen').mockImplementation(function record(this: Server, ...args: unknown[]) {
    servers.push(this);
    return (listen as (...rest: unknown[]) => Server).apply(this, args);
  });
  await run();
  vi.restoreAllMocks();
  return servers.map((server) => {
    const address = server.address();
    return typeof address === 'object' && address !== null ? address.address : String(address);
  });
}

afterEach(() => vi.restoreAllMocks());

describe('the local runtime listens on 127.0.0.1 only', () => {
  it('the embedded SQS/SNS server, which on its own listens on every interface', async () => {
    let stop: (() => Promise<unknown>) | undefined;
    const addresses = await listeningDuring(async () => {
      const server = await startLoopbackFauxqs({ port: 0, logger: false });
      stop = () => server.stop();
      expect(new URL(server.address).hostname).toBe('127.0.0.1');
    });
    await stop?.();
    expect(addresses).toEqual(['127.0.0.1']);
  });

  it('and nothing else starts the embedded server on every interface: benchmarks and tests included', () => {
    // Found: the redrive and console benchmarks called fauxqs' startFauxqs directly, on 0.0.0.0.
    const root = join(import.meta.dirname, '../../..');
    const direct = globSync('{bench,cli,local,lib,functions,test}/**/*.ts', { cwd: root }).filter(
      (path) =>
        !path.endsWith('startLoopbackFauxqs.ts') &&
        /\bstartFauxqs\(/.test(readFileSync(join(root, path), 'utf8')),
    );
    expect(direct).toEqual([]);
  });

  it('every server it starts: SQS/SNS, DynamoDB, the Lambda and CloudWatch APIs, the fault proxy', async () => {
    const fixture = synthesizeFixtureApp((stack) => {
      const queue = new sqs.Queue(stack, 'Work');
      const responder = new lambda.Function(stack, 'Responder', {
        runtime: lambda.Runtime.NODEJS_24_X,
        handler: 'index.handler',
        code: lambda.Code.fromAsset(join(FIXTURE_FUNCTIONS, 'responder')),
      });
      responder.addEventSource(new SqsEventSource(queue, { reportBatchItemFailures: true }));
      new dynamodb.Table(stack, 'Table', {
        partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
        removalPolicy: RemovalPolicy.DESTROY,
      });
    });
    let runtime: Awaited<ReturnType<typeof startRuntime>> | undefined;
    try {
      const addresses = await listeningDuring(async () => {
        runtime = await startRuntime(fixture.assemblyDirectory);
      });
      expect(addresses.length).toBeGreaterThanOrEqual(5);
      expect(new Set(addresses)).toEqual(new Set(['127.0.0.1']));
    } finally {
      await runtime?.stop();
      fixture.cleanup();
    }
  });
});
