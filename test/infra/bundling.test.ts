import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailsafeConsumer } from '../../infra/consumer/FailsafeConsumer.js';
import { lambdaContext } from '../helpers/lambdaContext.js';
import { sqsEvent } from '../helpers/sqsEvents.js';

/**
 * The one test that bundles for real (the others skip bundling): the packaged worker goes through the local
 * esbuild into a cloud assembly asset, and the bundle runs as Lambda would run it.
 */
describe('bundling with the local esbuild', () => {
  let outdir: string;
  let assetDir: string;
  let template: Template;

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'sqs-failsafe-bundling-'));
    const app = new App({ outdir });
    const stack = new Stack(app, 'Bundled', { env: { account: '111122223333', region: 'eu-west-1' } });
    new FailsafeConsumer(stack, 'Consumer');
    app.synth();
    template = Template.fromStack(stack);
    const key = Object.values(template.findResources('AWS::Lambda::Function'))[0]?.Properties.Code
      .S3Key as string;
    assetDir = join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
  });

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('writes an ESM bundle with source maps and split chunks, hashed by its output', () => {
    expect(existsSync(join(assetDir, 'index.mjs'))).toBe(true);
    expect(existsSync(join(assetDir, 'index.mjs.map'))).toBe(true);
    expect(readdirSync(join(assetDir, 'chunks')).some((file) => file.endsWith('.mjs'))).toBe(true);
  });

  it('runs: the bundled handler answers an SQS batch with a partial batch response', async () => {
    const { handler } = await import(pathToFileURL(join(assetDir, 'index.mjs')).href);
    const event = sqsEvent([{ taskId: 't-1', kind: 'thumbnail' }, { taskId: '' }]);

    const response = await handler(event, lambdaContext());

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[1]?.messageId }] });
  });
});
