import { readFileSync, writeFileSync } from 'node:fs';
import { SETUP_RULES } from '../../lib/setupRules/setupRules.js';
import type { BadInputCase } from '../badInputs/badInputCase.js';
import { CLI_ARGUMENT_CASES } from '../badInputs/cliArguments.js';
import { ACCEPTED_PROP_CASES, CONSTRUCT_PROP_CASES } from '../badInputs/constructProps.js';
import { ENVIRONMENT_VARIABLE_CASES } from '../badInputs/environmentVariables.js';
import { EXAMPLE_CONTEXT_CASES } from '../badInputs/exampleContext.js';

/**
 * Sections of the docs written from code, so they cannot drift from it: the setup rules (lib/setupRules) and
 * the bad-input table (the tests' tables in test/badInputs). Each sits between `<!-- generated:<name> -->`
 * and `<!-- /generated:<name> -->`; `npm run docs:update` rewrites them, and a test fails when they differ.
 */
export const GENERATED_DOC = new URL('../../docs/construct.md', import.meta.url);

interface Surface {
  readonly surface: string;
  readonly refusedAt: string;
  readonly cases: readonly BadInputCase<unknown>[];
  /** Accepted inputs are checked against what each function reads at cold start (construct and context). */
  readonly checkedAtRunTime: boolean;
}

const SURFACES: readonly Surface[] = [
  { surface: 'Construct props', refusedAt: 'synth', cases: CONSTRUCT_PROP_CASES, checkedAtRunTime: true },
  {
    surface: 'Example-app context keys',
    refusedAt: 'synth',
    cases: EXAMPLE_CONTEXT_CASES,
    checkedAtRunTime: true,
  },
  {
    surface: 'Function environment variables (hand-wired functions)',
    refusedAt: 'cold start, before any message',
    cases: ENVIRONMENT_VARIABLE_CASES,
    checkedAtRunTime: false,
  },
  {
    surface: 'CLI arguments',
    refusedAt: 'before any request',
    cases: CLI_ARGUMENT_CASES,
    checkedAtRunTime: false,
  },
];

/** Words into lines of at most `width` characters, as the docs' paragraphs are. */
function wrap(text: string, width = 110): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...lines, line].join('\n');
}

/** A Markdown table with its columns padded to one width, as the repository's other docs tables are. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, column) =>
    Math.max(3, cell.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

const errors = (cases: readonly BadInputCase<unknown>[]) =>
  cases.filter((each) => each.outcome !== 'warning').length;
const warnings = (cases: readonly BadInputCase<unknown>[]) =>
  cases.filter((each) => each.outcome === 'warning').length;

/** The bad-input table: tried inputs per surface and what came of them, as the tests assert each. */
export function badInputSection(): string {
  const rows = SURFACES.map(({ surface, refusedAt, cases, checkedAtRunTime }) => [
    surface,
    refusedAt,
    String(cases.length),
    String(errors(cases)),
    String(warnings(cases)),
    checkedAtRunTime ? '0' : 'n/a',
  ]);
  const all = SURFACES.flatMap(({ cases }) => cases);
  rows.push(['**Total**', '', `**${all.length}**`, `**${errors(all)}**`, `**${warnings(all)}**`, '**0**']);
  return [
    table(
      [
        'Where the input goes',
        'Refused at',
        'Inputs tried',
        'Clear error naming what to change',
        'Accepted with a warning naming it',
        'Accepted at synth, rejected at run time',
      ],
      rows,
    ),
    '',
    wrap(
      `A clear error is the construct's \`InvalidConsumerSettingsError\` naming the prop, the example's error naming ` +
        "the context key, the runtime's `InvalidOptionsError` naming the variable and the key, or one CLI line naming " +
        'the flag or queue (exit code 1 or 2, no request sent), never a stack trace. Every warning case synthesizes, ' +
        `and so do ${ACCEPTED_PROP_CASES.length} more props at the edges of what is allowed; for all of them the ` +
        "configuration written for each function is read back with that function's own reader, as at a cold start, " +
        'and none is refused. The inputs are the tables in `test/badInputs/`; each is a test ' +
        '(`test/infra/badInputs.test.ts`, `test/unit/config/badEnvironmentVariables.test.ts`, ' +
        '`test/unit/cli/cliArguments.test.ts`), and this table is written from them (`npm run docs:update`).',
    ),
  ].join('\n');
}

/** The setup rules: what each checks, its severity and the AWS rule behind it. */
export function setupRulesSection(): string {
  return table(
    ['Rule', 'Severity', 'What must hold', 'Why (the AWS rule)'],
    SETUP_RULES.map((rule) => [
      `\`${rule.id}\``,
      rule.severity,
      rule.summary,
      `Otherwise ${rule.why} ([aws-semantics](${rule.reference.replace(/^docs\//, '')}))`,
    ]),
  );
}

export const SECTIONS: Readonly<Record<string, () => string>> = {
  'bad-inputs': badInputSection,
  'setup-rules': setupRulesSection,
};

/** The document with every generated section rewritten from code. */
export function withGeneratedSections(document: string): string {
  let result = document;
  for (const [name, render] of Object.entries(SECTIONS)) {
    const start = `<!-- generated:${name} -->`;
    const end = `<!-- /generated:${name} -->`;
    const from = result.indexOf(start);
    const to = result.indexOf(end);
    if (from < 0 || to < from) throw new Error(`docs/construct.md has no ${start} ... ${end} section`);
    result = `${result.slice(0, from + start.length)}\n\n${render()}\n\n${result.slice(to)}`;
  }
  return result;
}

export function readGeneratedDoc(): string {
  return readFileSync(GENERATED_DOC, 'utf8');
}

export function writeGeneratedDoc(): void {
  writeFileSync(GENERATED_DOC, withGeneratedSections(readGeneratedDoc()));
}
