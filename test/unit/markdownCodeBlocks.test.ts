import { describe, expect, it } from 'vitest';
import { markdownCodeBlocks, npmInstallPackages } from '../helpers/markdownCodeBlocks.js';

const DOCUMENT = [
  '# Title',
  '',
  '```sh',
  'npm install sqs-failsafe zod   # the runtime',
  '$ npm i -D @middy/core',
  '```',
  '',
  '```ts',
  '// src/orders.ts',
  "export const a = '```';",
  '```',
  '',
  '- a list item with a block:',
  '  ```typescript',
  '  const b = 1;',
  '  ```',
  '',
  '````md',
  '```ts',
  'nested',
  '```',
  '````',
].join('\n');

describe('markdownCodeBlocks', () => {
  it('finds each fenced block with its language, line and the file its first comment names', () => {
    expect(markdownCodeBlocks(DOCUMENT)).toEqual([
      {
        language: 'sh',
        code: 'npm install sqs-failsafe zod   # the runtime\n$ npm i -D @middy/core\n',
        line: 3,
        file: undefined,
      },
      { language: 'ts', code: "// src/orders.ts\nexport const a = '```';\n", line: 8, file: 'src/orders.ts' },
      { language: 'typescript', code: 'const b = 1;\n', line: 14, file: undefined },
      { language: 'md', code: '```ts\nnested\n```\n', line: 18, file: undefined },
    ]);
  });

  it('keeps only the languages asked for', () => {
    expect(markdownCodeBlocks(DOCUMENT, ['ts', 'typescript']).map((block) => block.line)).toEqual([8, 14]);
  });

  it('lists the packages of the npm install lines, without flags or comments', () => {
    expect(npmInstallPackages(markdownCodeBlocks(DOCUMENT))).toEqual(['sqs-failsafe', 'zod', '@middy/core']);
  });
});
