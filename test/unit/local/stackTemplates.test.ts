import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { readStackTemplates } from '../../../local/assembly/stackTemplates.js';

const FUNCTION_FOLDER = new URL('../../fixtures/functions/recorder', import.meta.url).pathname;

describe('readStackTemplates', () => {
  const folders: string[] = [];
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('reads each stack’s resources and outputs, and finds a function’s staged code by its S3 key', () => {
    // Prepare: an app synthesized as `cdk synth` would, into a folder of its own
    const outdir = mkdtempSync(join(tmpdir(), 'stack-templates-'));
    folders.push(outdir);
    const app = new App({ outdir });
    const stack = new Stack(app, 'Orders');
    const fn = new lambda.Function(stack, 'Worker', {
      runtime: lambda.Runtime.NODEJS_24_X,
      code: lambda.Code.fromAsset(FUNCTION_FOLDER),
      handler: 'index.handler',
    });
    new CfnOutput(stack, 'WorkerName', { value: fn.functionName });
    app.synth();

    // Act
    const stacks = readStackTemplates(outdir);

    // Assess
    expect(stacks.map((template) => template.stackName)).toEqual(['Orders']);
    const [orders] = stacks;
    const worker = Object.values(orders?.resources ?? {}).find(
      (resource) => resource.Type === 'AWS::Lambda::Function',
    );
    expect(orders?.outputs.WorkerName?.Value).toEqual({
      Ref: stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction),
    });
    const key = String((worker?.Properties?.Code as { S3Key?: unknown } | undefined)?.S3Key);
    const staged = orders?.assetPathByKey.get(key);
    expect(staged?.startsWith(outdir)).toBe(true);
    expect(existsSync(join(staged as string, 'index.mjs'))).toBe(true);
  }, 60_000); // a CDK synthesis in process: seconds, more on a busy machine
});
