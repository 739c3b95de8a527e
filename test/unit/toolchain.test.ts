import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * `npm ci` installs two Node.js binaries: the `node` devDependency (Node 24, for every npm script) and its
 * `node22` alias (Node 22, for the package tests). Both packages declare a `node` bin; npm links bins in
 * the order of their paths and the first one keeps the link, so node_modules/.bin/node must be Node 24.
 */
describe('the toolchain npm ci installs', () => {
  const root = process.cwd();
  const majorOf = (folder: string) =>
    (
      JSON.parse(readFileSync(join(root, 'node_modules', folder, 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version.split('.')[0];

  it('runs npm scripts (this test among them) on the node devDependency, not on its node22 alias', () => {
    expect(majorOf('node')).toBe('24');
    expect(majorOf('node22')).toBe('22');
    expect(realpathSync(join(root, 'node_modules', '.bin', 'node'))).toBe(
      realpathSync(join(root, 'node_modules', 'node', 'bin', 'node')),
    );
    expect(process.versions.node.split('.')[0]).toBe('24');
  });

  it('has every install script in its dependencies reviewed in allowScripts (tried: npm 11 warned of one it skipped)', () => {
    // The environment of the npm test running this would point npm elsewhere.
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('npm_')));
    const listed = JSON.parse(
      execFileSync('npm', ['install-scripts', 'ls', '--json'], { cwd: root, env, encoding: 'utf8' }),
    ) as { allowScripts: unknown[] };
    expect(listed.allowScripts).toEqual([]);
  });
});
