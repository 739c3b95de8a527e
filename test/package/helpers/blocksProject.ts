import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CodeBlock } from '../../helpers/markdownCodeBlocks.js';

/**
 * Writes a document's TypeScript blocks into a project folder, each to the file its first line names, with a
 * strict tsconfig that compiles exactly those files: how the README's and the migration guide's tests compile
 * what a reader copies, against the installed package.
 */
export function writeBlocksProject(project: string, blocks: readonly CodeBlock[]): void {
  mkdirSync(project, { recursive: true });
  for (const block of blocks) {
    if (block.file === undefined) continue;
    mkdirSync(join(project, dirname(block.file)), { recursive: true });
    writeFileSync(join(project, block.file), block.code);
  }
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'es2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        strict: true,
        skipLibCheck: true,
        types: ['node'],
        outDir: 'out',
        rootDir: '.',
      },
      include: blocks.flatMap((block) => (block.file === undefined ? [] : [block.file])),
    }),
  );
}
