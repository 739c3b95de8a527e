import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { FailsafeConsumer } from '../../infra/consumer/FailsafeConsumer.js';
import { InvalidConsumerSettingsError } from '../../infra/consumer/settings/InvalidConsumerSettingsError.js';
import { synthConsumer } from './helpers/consumerStack.js';

/** The runtime of every function in the template (the consumer, the redrive function, the controller). */
const runtimesOf = (template: Template) =>
  Object.values(template.findResources('AWS::Lambda::Function')).map(
    (fn) => (fn as { Properties: { Runtime: string } }).Properties.Runtime,
  );

describe('FailsafeConsumer runtime', () => {
  it('runs every function it creates on nodejs24.x by default', () => {
    const { template } = synthConsumer();
    expect(runtimesOf(template)).toEqual(['nodejs24.x', 'nodejs24.x', 'nodejs24.x']);
  });

  it('runs every function it creates on nodejs22.x when asked', () => {
    const { template } = synthConsumer({ runtime: lambda.Runtime.NODEJS_22_X });
    expect(runtimesOf(template)).toEqual(['nodejs22.x', 'nodejs22.x', 'nodejs22.x']);
  });

  it('refuses a runtime the package does not run on, naming the prop and the choices', () => {
    const problemsWith = (runtime: lambda.Runtime) => {
      try {
        synthConsumer({ runtime });
        return [];
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidConsumerSettingsError);
        return (error as InvalidConsumerSettingsError).problems;
      }
    };
    for (const runtime of [lambda.Runtime.NODEJS_20_X, lambda.Runtime.PYTHON_3_12]) {
      expect(problemsWith(runtime)).toEqual([
        {
          prop: 'runtime',
          value: runtime.name,
          allowed: 'nodejs22.x or nodejs24.x (the Node.js versions sqs-failsafe runs on)',
        },
      ]);
    }
  });

  describe('bundling', () => {
    // The construct loads esbuild with require() when it bundles: the cached module's exports are swapped
    // for a copy that records each build's target, and put back afterwards.
    const require = createRequire(import.meta.url);
    const esbuildPath = require.resolve('esbuild');
    require('esbuild');
    const cached = require.cache[esbuildPath] as NodeJS.Module;
    const original = cached.exports as typeof import('esbuild');
    let outdir: string | undefined;
    afterEach(() => {
      cached.exports = original;
      if (outdir) rmSync(outdir, { recursive: true, force: true });
    });

    it.each([
      [lambda.Runtime.NODEJS_22_X, 'node22'],
      [lambda.Runtime.NODEJS_24_X, 'node24'],
    ])('bundles every function for %s with the esbuild target %s', (runtime, target) => {
      // Prepare
      const targets: unknown[] = [];
      cached.exports = {
        ...original,
        buildSync: (options: Parameters<typeof original.buildSync>[0]) => {
          targets.push(options.target);
          return original.buildSync(options);
        },
      };
      outdir = mkdtempSync(join(tmpdir(), 'sqs-failsafe-runtime-'));
      const app = new App({ outdir });
      new FailsafeConsumer(new Stack(app, 'Bundled'), 'Consumer', { runtime });

      // Act
      app.synth();

      // Assess
      // The worker, its failure layer and its configuration problem list (both bundled apart: bundleLambda.ts),
      // the redrive function, the controller.
      expect(targets).toEqual([target, target, target, target, target]);
    });
  });
});
