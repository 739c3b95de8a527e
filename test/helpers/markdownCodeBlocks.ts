/**
 * The fenced code blocks of a Markdown document, so tests can compile and run what the documentation shows
 * (the README's quick start, later every block of a migration guide) and the text cannot drift from the
 * product.
 *
 * A TypeScript block whose first line is a comment naming a file (`// src/orders.ts`) is that file: other
 * blocks can import it by that path, as a reader would lay the files out.
 */
export interface CodeBlock {
  /** The info string's first word, lower case (`ts`, `sh`); '' when the fence has none. */
  readonly language: string;
  readonly code: string;
  /** 1-based line of the opening fence, for messages that point back into the document. */
  readonly line: number;
  /** The file the block says it is (`src/orders.ts`), from its first-line comment. */
  readonly file: string | undefined;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;
const FILE_COMMENT = /^\/\/\s+([\w./-]+\.(?:ts|mts|tsx|js|mjs))\s*$/;

/**
 * @example
 * const blocks = markdownCodeBlocks(readFileSync('README.md', 'utf8'), ['ts', 'typescript']);
 */
export function markdownCodeBlocks(markdown: string, languages?: readonly string[]): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  let open: { fence: string; indent: number; language: string; line: number; body: string[] } | undefined;
  for (const [index, text] of lines.entries()) {
    if (open === undefined) {
      const match = FENCE.exec(text);
      if (match !== null) {
        open = {
          fence: match[2] as string,
          indent: (match[1] as string).length,
          language: (match[3] as string).toLowerCase(),
          line: index + 1,
          body: [],
        };
      }
      continue;
    }
    if (text.trim().startsWith(open.fence) && text.trim().replace(/[`~]/g, '') === '') {
      const code = `${open.body.join('\n')}\n`;
      const file = FILE_COMMENT.exec(open.body[0] ?? '')?.[1];
      blocks.push({ language: open.language, code, line: open.line, file });
      open = undefined;
      continue;
    }
    open.body.push(text.slice(Math.min(open.indent, text.length - text.trimStart().length)));
  }
  return languages === undefined ? blocks : blocks.filter((block) => languages.includes(block.language));
}

/** The packages of the `npm install` (or `npm i`) lines in shell blocks, in order, each once. */
export function npmInstallPackages(blocks: readonly CodeBlock[]): string[] {
  const packages = blocks
    .filter((block) => ['sh', 'shell', 'bash', 'console'].includes(block.language))
    .flatMap((block) => block.code.split('\n'))
    .map((line) =>
      line
        .replace(/^\$\s*/, '')
        .replace(/#.*$/, '')
        .trim(),
    )
    .filter((line) => /^npm (install|i)\s/.test(line))
    .flatMap((line) => line.split(/\s+/).slice(2))
    .filter((word) => !word.startsWith('-'));
  return [...new Set(packages)];
}
