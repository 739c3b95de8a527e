import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FailsafeConsumer } from '../../infra/consumer/FailsafeConsumer.js';
import { BATCH_CONFIG_ENV_VAR } from '../../lib/config/batchConfig.js';
import { CONSUMER_BREAKER_CONFIG_ENV_VAR } from '../../lib/config/consumerBreakerConfig.js';
import { REDRIVE_CONFIG_ENV_VAR } from '../../lib/config/redriveConfig.js';
import { lambdaContext } from '../helpers/lambdaContext.js';
import { sqsEvent } from '../helpers/sqsEvents.js';
import { functionWithVariable } from './helpers/consumerStack.js';

/**
 * The one test that bundles for real (the others skip bundling): the packaged worker, redrive function and
 * breaker controller go through the local esbuild into cloud assembly assets, and the bundles run as
 * Lambda would run them.
 */
describe('bundling with the local esbuild', () => {
  let outdir: string;
  let template: Template;
  /** The asset folder of the function that reads this configuration variable. */
  const assetOf = (variable: string) => {
    const key = template.toJSON().Resources[functionWithVariable(template, variable)].Properties.Code
      .S3Key as string;
    return join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
  };

  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'sqs-failsafe-bundling-'));
    const app = new App({ outdir });
    const stack = new Stack(app, 'Bundled', { env: { account: '111122223333', region: 'eu-west-1' } });
    new FailsafeConsumer(stack, 'Consumer');
    app.synth();
    template = Template.fromStack(stack);
  });

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('writes an ESM bundle with source maps and split chunks, hashed by its output', () => {
    const assetDir = assetOf(BATCH_CONFIG_ENV_VAR);
    expect(existsSync(join(assetDir, 'index.mjs'))).toBe(true);
    expect(existsSync(join(assetDir, 'index.mjs.map'))).toBe(true);
    expect(readdirSync(join(assetDir, 'chunks')).some((file) => file.endsWith('.mjs'))).toBe(true);
  });

  it('imports no chunk statically from the entry: a cold start reads one file (issue 16)', () => {
    // The failure layer and Powertools are behind import(); a module the entry and a lazy chunk both
    // imported would become a chunk the entry imports statically (lib/failureLayer/partsForFailureLayer.ts).
    const entry = readFileSync(join(assetOf(BATCH_CONFIG_ENV_VAR), 'index.mjs'), 'utf8');
    expect(entry).toMatch(/import\(["']\.\/chunks\/failureLayer-/);
    expect(entry).not.toMatch(
      /import\s*(\{[^}]*\}\s*from\s*|\*\s*as\s*[\w$]+\s*from\s*|[\w$]+\s*from\s*)?["']\.\/chunks\//,
    );
  });

  it("builds no regular expression at load that nothing uses: valibot's emoji pattern is dropped (issue 16)", () => {
    // esbuild would write a literal with \p{...} as new RegExp(...), which it cannot drop as unused.
    const entry = readFileSync(join(assetOf(BATCH_CONFIG_ENV_VAR), 'index.mjs'), 'utf8');
    expect(entry).not.toContain('Emoji_Presentation');
    expect(entry).not.toContain('new RegExp(');
  });

  it('runs: the bundled handler answers an SQS batch with a partial batch response', async () => {
    const { handler } = await import(pathToFileURL(join(assetOf(BATCH_CONFIG_ENV_VAR), 'index.mjs')).href);
    const event = sqsEvent([{ taskId: 't-1', kind: 'thumbnail' }, { taskId: '' }]);

    const response = await handler(event, lambdaContext());

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[1]?.messageId }] });
  });

  it('bundles the redrive function and the breaker controller into assets of their own', () => {
    const assets = [BATCH_CONFIG_ENV_VAR, REDRIVE_CONFIG_ENV_VAR, CONSUMER_BREAKER_CONFIG_ENV_VAR].map(
      assetOf,
    );
    expect(new Set(assets).size).toBe(3);
    for (const assetDir of assets) {
      expect(existsSync(join(assetDir, 'index.mjs')), assetDir).toBe(true);
      expect(existsSync(join(assetDir, 'index.mjs.map')), assetDir).toBe(true);
    }
  });

  it('loads the bundled redrive function and controller with their configuration, as a cold start would', async () => {
    // Prepare: configurations as deployed (references resolved)
    const queueUrl = 'https://sqs.eu-west-1.amazonaws.com/111122223333/';
    const saved = { ...process.env };
    process.env[REDRIVE_CONFIG_ENV_VAR] = JSON.stringify({
      version: 1,
      dlqUrl: `${queueUrl}dlq`,
      sourceQueueUrl: `${queueUrl}work`,
    });
    process.env[CONSUMER_BREAKER_CONFIG_ENV_VAR] = JSON.stringify({
      version: 1,
      mappingUuid: '3f8d9a52-1b7c-4e0a-9c6d-2f1e0b7a4c55',
      alarmName: 'transient-failures',
    });
    try {
      // Act
      const redrive = await import(pathToFileURL(join(assetOf(REDRIVE_CONFIG_ENV_VAR), 'index.mjs')).href);
      const controller = await import(
        pathToFileURL(join(assetOf(CONSUMER_BREAKER_CONFIG_ENV_VAR), 'index.mjs')).href
      );

      // Assess
      expect(typeof redrive.handler).toBe('function');
      expect(typeof controller.handler).toBe('function');
    } finally {
      process.env = saved;
    }
  });
});
