import { globSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import config from '../../../.dependency-cruiser.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Cruises `directory` with the repository's rules, as `npm run lint` does. */
async function cruiseWithRules(directory: string): Promise<ICruiseResult> {
  const { output } = await cruise(['.'], {
    ...config.options,
    ruleSet: { forbidden: config.forbidden },
    validate: true,
    baseDir: directory,
  });
  return output as ICruiseResult;
}

function brokenRules(result: ICruiseResult): string[] {
  return result.summary.violations.map((violation) => `${violation.rule.name}: ${violation.from}`);
}

describe('the architecture rules (.dependency-cruiser.ts)', () => {
  it('hold on the repository, and the checker reads every TypeScript file in it', async () => {
    // Act
    const result = await cruiseWithRules(root);
    // Assess: a parser that cannot read TypeScript would skip the files silently and find nothing wrong.
    expect(brokenRules(result)).toEqual([]);
    const cruised = new Set(result.modules.map((module) => module.source));
    const sources = globSync('{lib,functions,infra,cli,local,bench,test}/**/*.ts', { cwd: root });
    expect(sources.length).toBeGreaterThan(300);
    expect(sources.filter((source) => !cruised.has(source))).toEqual([]);
  });

  describe('on a small project laid out like this one', () => {
    let project: string;

    beforeAll(() => {
      project = mkdtempSync(join(tmpdir(), 'sqs-failsafe-architecture-'));
      // The real manifest and packages, so npm imports are told apart as dependencies and devDependencies.
      writeFileSync(join(project, 'package.json'), readFileSync(join(root, 'package.json')));
      symlinkSync(join(root, 'node_modules'), join(project, 'node_modules'), 'dir');
    });
    afterAll(() => rmSync(project, { recursive: true, force: true }));

    /** Writes `files` into a fresh folder of the project and cruises it. */
    let cases = 0;
    async function cruiseFiles(files: Record<string, string>): Promise<string[]> {
      const directory = join(project, `case${++cases}`);
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(directory, path)), { recursive: true });
        writeFileSync(join(directory, path), text);
      }
      return brokenRules(await cruiseWithRules(directory));
    }

    it('let the layers import downwards, type-only and .js-specified imports of .ts files included', async () => {
      // Act
      const broken = await cruiseFiles({
        'lib/core.ts': "import * as v from 'valibot';\nexport const schema = v.string();",
        'lib/types.ts': "import type { schema } from './core.js';\nexport type Schema = typeof schema;",
        'functions/handler.ts': "import { schema } from '../lib/core.js';\nexport const handler = schema;",
        'infra/construct.ts':
          "import { Stack } from 'aws-cdk-lib';\nimport type { Schema } from '../lib/types.js';\n" +
          'export type S = Schema;\nexport const stack = Stack;',
        'infra/example/app.ts':
          "import { AwsSolutionsChecks } from 'cdk-nag';\nexport const nag = AwsSolutionsChecks;",
        'cli/program.ts': "import { Command } from 'commander';\nexport const program = new Command();",
        'local/start.ts': "import { stack } from '../infra/construct.js';\nexport const start = stack;",
        'bench/suite.ts': "import { handler } from '../lib/core.js';\nexport const suite = handler;",
        'test/helpers/harness.ts':
          "import { start } from '../../local/start.js';\nexport const harness = start;",
        'test/unit/handler.test.ts':
          "import { handler } from '../../functions/handler.js';\nimport { harness } from '../helpers/harness.js';\n" +
          'export const all = [handler, harness];',
      });
      // Assess
      expect(broken).toEqual([]);
    });

    it.each([
      [
        'no-cycles',
        'a cycle of type-only imports',
        {
          'lib/order.ts': "import type { Line } from './line.js';\nexport interface Order { lines: Line[] }",
          'lib/line.ts': "import type { Order } from './order.js';\nexport interface Line { order: Order }",
        },
      ],
      [
        'lib-is-the-base-layer',
        'lib importing infra',
        { 'lib/a.ts': "import '../infra/b.js';", 'infra/b.ts': '' },
      ],
      [
        'lib-is-the-base-layer',
        'lib importing bench',
        { 'lib/a.ts': "import '../bench/b.js';", 'bench/b.ts': '' },
      ],
      [
        'functions-and-cli-do-not-import-infra',
        'a Lambda handler importing infra',
        { 'functions/a.ts': "import '../infra/b.js';", 'infra/b.ts': '' },
      ],
      [
        'shipped-code-does-not-import-dev-tooling',
        'infra importing local',
        { 'infra/a.ts': "import '../local/b.js';", 'local/b.ts': '' },
      ],
      [
        'no-test-code-outside-test',
        'bench importing a test helper',
        { 'bench/a.ts': "import '../test/helpers/b.js';", 'test/helpers/b.ts': '' },
      ],
      [
        'no-test-code-outside-test',
        'lib importing a test helper for its types only',
        {
          'lib/a.ts': "import type { B } from '../test/helpers/b.js';\nexport type A = B;",
          'test/helpers/b.ts': 'export type B = 1;',
        },
      ],
      [
        'shipped-code-does-not-import-dev-dependencies',
        'lib importing a devDependency',
        { 'lib/a.ts': "import { z } from 'zod';\nexport const a = z;" },
      ],
      ['every-import-resolves', 'an import of a missing file', { 'cli/a.ts': "import './missing.js';" }],
    ])('%s fires on %s', async (rule, _case, files) => {
      // Act
      const broken = await cruiseFiles(files);
      // Assess
      expect(broken.map((violation) => violation.split(':')[0])).toContain(rule);
    });
  });
});
