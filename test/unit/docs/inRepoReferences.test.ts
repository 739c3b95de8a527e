import { existsSync, globSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Every file a comment, test or doc points to is in the repository, and every `file.md#anchor` names a
 * heading that exists: a reader who clones the repository must be able to follow each reference. AWS
 * behaviour is cited as `docs/aws-semantics.md#<anchor>`, never as a file outside the repository.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');

const SCANNED = ['**/*.{ts,mts,cts,js,mjs,cjs,md,json}', '.dependency-cruiser.ts'];
/** Build output and scratch folders: the folders .gitignore lists. */
const IGNORED_FOLDERS = readFileSync(join(root, '.gitignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line.endsWith('/') && !line.startsWith('#'))
  .map((line) => `${line}**`);
const NOT_SCANNED = [
  ...IGNORED_FOLDERS,
  '**/node_modules/**',
  '.git/**',
  'package-lock.json',
  // This file: its examples are broken references on purpose.
  'test/unit/docs/inRepoReferences.test.ts',
];

/**
 * A Markdown file name, optionally with an anchor: `docs/runtime.md`, `failure-routing.md#metrics`. Not a
 * pattern of names (`*.api.md`, `entry + '.api.md'`).
 */
const MARKDOWN_REFERENCE = /(?<![\w./*}$-])((?:\.{1,2}\/)*[\w-][\w./-]*\.md)(?!\w)(?:#([\w-]+))?/g;
/** A path into the docs folder that is not a Markdown file (images, examples). */
const DOCS_PATH = /(?<![\w./-])(docs\/[\w./-]*[\w-])/g;
/** A relative path (`./x`, `../../x`), which must not climb out of the repository. */
const RELATIVE_PATH = /(?<![\w./-])((?:\.\.?\/)+[\w@.-]+)/g;
/** An absolute path into a home or work folder: somebody's machine, not the repository. */
const ABSOLUTE_MACHINE_PATH = /(?<![\w.])(\/(?:work|home|root|Users)\/[\w./-]+)/g;
/** A source path quoted in a Markdown file: `` `lib/batch/runRecords.ts` ``, `` `functions/worker/handler` ``. */
const QUOTED_SOURCE_PATH = /`((?:lib|functions|infra|cli|local|bench|test)\/[\w./-]*[\w-])`/g;
/**
 * The name of the lead's private fact sheet, which users who clone the repository do not have. Spelled in
 * parts so that this file, which must name it to reject it, does not itself point to it.
 */
const FACT_SHEET_NAME = ['AWS', 'SEMANTICS'].join('-');
const PRIVATE_FACT_SHEET = new RegExp(FACT_SHEET_NAME, 'g');
/** A Markdown link target inside a Markdown file: `[text](target)`. */
const MARKDOWN_LINK = /\]\(([^)\s]+)\)/g;

/** The anchors of a Markdown file's headings, as GitHub makes them, plus any explicit `<a id>`/`<a name>`. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const fenceMark = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fenceMark !== undefined) {
      if (fence === undefined) fence = fenceMark[0];
      else if (fenceMark[0] === fence) fence = undefined;
      continue;
    }
    if (fence !== undefined) continue;
    for (const explicit of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(explicit[1] ?? '');
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = heading
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<[^>]+>/g, '')
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Where a reference from `file` lands: next to the file, else from the repository root. */
function locate(file: string, target: string): string | undefined {
  for (const base of [dirname(join(root, file)), root]) {
    const path = resolve(base, target);
    if (existsSync(path)) return path;
  }
  return undefined;
}

const insideRepository = (path: string) => !relative(root, path).startsWith('..');

/** Every reference in `text` (the content of `file`, relative to the root) that a reader cannot follow. */
function brokenReferences(file: string, text: string): string[] {
  const broken: string[] = [];
  const lines = text.split('\n');
  const isMarkdown = file.endsWith('.md');
  const checkAnchor = (line: number, target: string, path: string, anchor: string) => {
    if (!path.endsWith('.md') || headingAnchors(readFileSync(path, 'utf8')).has(anchor)) return;
    broken.push(`${file}:${line}: ${target}#${anchor} names no heading of ${relative(root, path)}`);
  };
  lines.forEach((text, index) => {
    const line = index + 1;
    for (const [, target = '', anchor] of text.matchAll(MARKDOWN_REFERENCE)) {
      const path = locate(file, target);
      if (path === undefined || !insideRepository(path)) {
        broken.push(`${file}:${line}: ${target} is not a file in the repository`);
      } else if (anchor !== undefined) {
        checkAnchor(line, target, path, anchor);
      }
    }
    for (const [, target = ''] of text.matchAll(DOCS_PATH)) {
      if (!target.endsWith('.md') && locate(file, target) === undefined) {
        broken.push(`${file}:${line}: ${target} is not a file in the repository`);
      }
    }
    for (const [, target = ''] of text.matchAll(RELATIVE_PATH)) {
      if (!insideRepository(resolve(dirname(join(root, file)), target))) {
        broken.push(`${file}:${line}: ${target} leads out of the repository`);
      }
    }
    for (const [, target = ''] of text.matchAll(ABSOLUTE_MACHINE_PATH)) {
      broken.push(`${file}:${line}: ${target} is a path on somebody's machine, not in the repository`);
    }
    for (const _ of text.matchAll(PRIVATE_FACT_SHEET)) {
      broken.push(
        `${file}:${line}: cite docs/aws-semantics.md#<anchor>, not the private ${FACT_SHEET_NAME} fact sheet`,
      );
    }
    if (!isMarkdown) return;
    for (const [, target = ''] of text.matchAll(QUOTED_SOURCE_PATH)) {
      if (!['', '.ts', '/index.ts'].some((ending) => existsSync(join(root, target + ending)))) {
        broken.push(`${file}:${line}: ${target} is not a file or folder in the repository`);
      }
    }
    for (const [, link = ''] of text.matchAll(MARKDOWN_LINK)) {
      if (/^[a-z][a-z+.-]*:/i.test(link)) continue; // https:, mailto:
      const [target = '', anchor] = link.split('#');
      if (target === '') {
        if (anchor !== undefined && !headingAnchors(lines.join('\n')).has(anchor)) {
          broken.push(`${file}:${line}: #${anchor} names no heading of this file`);
        }
        continue;
      }
      const path = resolve(dirname(join(root, file)), target);
      if (!existsSync(path) || !insideRepository(path)) {
        broken.push(`${file}:${line}: link ${link} is not a file in the repository`);
      } else if (anchor !== undefined && statSync(path).isFile()) {
        checkAnchor(line, target, path, anchor);
      }
    }
  });
  return broken;
}

describe('references to files', () => {
  it('all lead to files in the repository, and their anchors to headings that exist', () => {
    // Prepare
    const files = globSync(SCANNED, { cwd: root, exclude: NOT_SCANNED });
    expect(files.length).toBeGreaterThan(300);
    // Act
    const broken = files.flatMap((file) => brokenReferences(file, readFileSync(join(root, file), 'utf8')));
    // Assess
    expect(broken).toEqual([]);
  });

  it.each([
    [
      'a file outside the repository',
      'lib/a.ts',
      `// see ${FACT_SHEET_NAME}.md, "FIFO"`,
      `${FACT_SHEET_NAME}.md is not a file`,
    ],
    [
      'the private fact sheet by name',
      'lib/a.ts',
      `// as ${FACT_SHEET_NAME} says`,
      'cite docs/aws-semantics.md',
    ],
    ['a doc that does not exist', 'lib/a.ts', ' * (docs/dead-letter-metadata.md)', 'is not a file'],
    [
      'an anchor no heading provides',
      'lib/a.ts',
      '// docs/aws-semantics.md#no-such-rule',
      'names no heading',
    ],
    ['a path out of the repository', 'lib/a.ts', "read('../../../../shared/facts.txt');", 'leads out of'],
    ['a path on a machine', 'lib/a.ts', '// read /work/shared/notes.txt first', "somebody's machine"],
    ['a docs path that does not exist', 'lib/a.ts', '// see docs/images/flow.svg', 'is not a file'],
    ['a moved source file named in a doc', 'docs/a.md', 'Built by `lib/batch/gone.ts`.', 'is not a file'],
    ['a link to a missing heading', 'docs/a.md', 'See [FIFO](runtime.md#fifo).', 'names no heading'],
  ])('catch %s', (_case, file, text, problem) => {
    // Act
    const broken = brokenReferences(file, text);
    // Assess
    expect(broken).toContainEqual(expect.stringContaining(problem));
  });

  it.each([
    ['a cited rule', 'lib/a.ts', '// docs/aws-semantics.md#receive-count'],
    ['a doc next to the file', 'docs/a.md', 'See [the runtime](runtime.md#fifo-queues).'],
    ['a code path that stays inside', 'test/unit/a.test.ts', "import { x } from '../../lib/index.js';"],
    ['a property that looks like a file name', 'test/unit/a.test.ts', 'expect(record.md5OfBody).toBe(hash);'],
    ['a pattern of file names', 'test/unit/a.test.ts', "ignore('!**/*.api.md', entry + '.api.md');"],
    [
      'a source file named in a doc',
      'docs/a.md',
      'Read by `lib/alarms/alarmStateChange.ts` and `functions/worker/handler`.',
    ],
  ])('let %s through', (_case, file, text) => {
    // Act
    const broken = brokenReferences(file, text);
    // Assess
    expect(broken).toEqual([]);
  });

  it('make anchors as GitHub does', () => {
    // Act
    const anchors = headingAnchors(
      '# The `FailsafeConsumer` construct\n## Node.js runtimes\n```md\n## Not a heading\n```\n## Limits\n## Limits\n',
    );
    // Assess
    expect([...anchors]).toEqual(['the-failsafeconsumer-construct', 'nodejs-runtimes', 'limits', 'limits-1']);
  });
});
