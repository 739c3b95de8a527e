import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { markdownCodeBlocks } from '../helpers/markdownCodeBlocks.js';
import { sqsEvent } from '../helpers/sqsEvents.js';
import { writeBlocksProject } from './helpers/blocksProject.js';
import { childEnvironment, nodeBinary, REPOSITORY, run } from './helpers/projectCommands.js';

/**
 * The README's quick start, as written: its `npm install` lines set up the project (global setup), its
 * TypeScript blocks are written to the files their first line names, compiled against the installed
 * package, and run on Node 22 and 24: each handler answers a sample batch, each stack synthesizes (which
 * bundles the handler it points at with the installed esbuild). A README that drifts from the product
 * fails here.
 */
const README = readFileSync(join(REPOSITORY, 'README.md'), 'utf8');
const blocks = markdownCodeBlocks(README, ['ts', 'typescript']);

/**
 * Imports every compiled block, calls each exported `handler` with the event and instantiates each exported
 * Stack class in an App and synthesizes it; writes what happened to results-<node major>.json.
 */
const RUNNER = `
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';

const major = process.versions.node.split('.')[0];
const event = JSON.parse(readFileSync('event.json', 'utf8'));
const context = { functionName: 'orders', awsRequestId: 'readme', getRemainingTimeInMillis: () => 30_000 };
const results = {};
for (const file of readdirSync('out', { recursive: true }).filter((name) => name.endsWith('.js')).sort()) {
  const module = await import(pathToFileURL(join('out', file)).href);
  const result = {};
  if (typeof module.handler === 'function') result.response = await module.handler(event, context);
  for (const [name, value] of Object.entries(module)) {
    if (typeof value !== 'function' || !(value.prototype instanceof Stack)) continue;
    const app = new App({ outdir: \`cdk.out.node\${major}\` });
    const stack = new value(app, name);
    const template = app.synth().getStackByName(stack.stackName).template;
    result.functions = Object.values(template.Resources)
      .filter((resource) => resource.Type === 'AWS::Lambda::Function')
      .map((resource) => resource.Properties.Runtime);
  }
  results[file] = result;
}
writeFileSync(\`results-\${major}.json\`, JSON.stringify(results, null, 2));
`;

describe('the README quick start, in a new project', () => {
  const project = join(inject('packedProject').directory, 'readme');
  const event = sqsEvent([
    { orderId: 'o-1', total: 25 },
    { orderId: 'o-2', total: 20_000 },
  ]);
  const [, manualReview] = event.Records;

  beforeAll(() => {
    writeBlocksProject(project, blocks);
    writeFileSync(join(project, 'event.json'), JSON.stringify(event));
    writeFileSync(join(project, 'runner.mjs'), RUNNER);
  });

  it('names a file in the first line of every TypeScript block, so each can be compiled', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    expect(blocks.filter((block) => block.file === undefined).map((block) => `line ${block.line}`)).toEqual(
      [],
    );
  });

  it('tells the reader to install the package and what its blocks import', () => {
    const { readmePackages } = inject('packedProject');
    expect(readmePackages).toEqual(
      expect.arrayContaining(['sqs-failsafe', 'zod', 'aws-cdk-lib', 'constructs', '@middy/core']),
    );
  });

  it('compiles against the packed package (strict, NodeNext)', () => {
    const tsc = join(project, '..', 'node_modules', 'typescript', 'bin', 'tsc');
    expect(() => run(nodeBinary('24'), [tsc, '-p', '.'], project)).not.toThrow();
  });

  it.each(['22', '24'] as const)(
    'runs on Node %s: the handlers answer a batch, the stack synthesizes',
    (major) => {
      // Act
      run(nodeBinary(major), ['runner.mjs'], project, {
        ...childEnvironment,
        POWERTOOLS_LOG_LEVEL: 'SILENT',
        AWS_REGION: 'eu-west-1',
      });

      // Assess
      const results = JSON.parse(readFileSync(join(project, `results-${major}.json`), 'utf8'));
      const rejected = { batchItemFailures: [{ itemIdentifier: manualReview?.messageId }] };
      expect(results).toEqual({
        'src/orders.js': { response: rejected },
        // The middleware version saves every valid order: it has no manual-review rule.
        'src/orders-middy.js': { response: { batchItemFailures: [] } },
        'lib/orders-stack.js': { functions: ['nodejs24.x', 'nodejs24.x', 'nodejs24.x'] },
      });
    },
  );
});
