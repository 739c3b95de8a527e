#!/usr/bin/env node
// The `sqs-failsafe` command. Plain JavaScript that any Node.js can parse, so that an old Node gets a
// sentence instead of a TypeError from deep inside, and so that the command exists before anything is
// built: in a checkout of the repository it runs the TypeScript source through tsx (a devDependency),
// and from the installed package it runs the compiled CLI in dist/.
import { existsSync } from 'node:fs';

const MINIMUM_NODE_MAJOR = 22;
const major = Number(process.versions.node.split('.')[0]);
if (major < MINIMUM_NODE_MAJOR) {
  process.stderr.write(
    `sqs-failsafe: needs Node.js ${MINIMUM_NODE_MAJOR} or later, and this is Node.js ${process.versions.node} ` +
      `(${process.execPath}). Install Node.js 22 or 24 (for example \`nvm install 24\`) and run it again.\n`,
  );
  process.exit(1);
}

const source = new URL('../cli/index.ts', import.meta.url);
if (existsSync(source)) {
  const { tsImport } = await import('tsx/esm/api');
  await tsImport(source.href, import.meta.url);
} else {
  await import('../dist/cli/index.js');
}
