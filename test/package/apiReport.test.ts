import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDeclarations, entryPoints, REPORT_FOLDER, ROOT, writeApiReport } from '../helpers/apiReport.js';

/**
 * The public API is a decision: each entry point's report (api/<entry>.api.md, every exported name with its
 * signature) is checked in, and this fails when the code exports anything else, so widening the API is a
 * diff someone reviews. After a deliberate change: `npm run api:update`, and commit the reports.
 */
describe('the public API of each entry point', () => {
  let built: string;
  let generated: string;

  beforeAll(() => {
    built = buildDeclarations();
    generated = mkdtempSync(join(tmpdir(), 'sqs-failsafe-api-'));
  }, 120_000);

  afterAll(() => rmSync(generated, { recursive: true, force: true }));

  it('has one checked-in report per entry point in package.json, and no other', () => {
    const reports = readdirSync(REPORT_FOLDER).filter((file) => file.endsWith('.api.md'));
    expect(reports.sort()).toEqual(
      entryPoints()
        .map((entry) => `${entry.name}.api.md`)
        .sort(),
    );
  });

  it.each(entryPoints().map((entry) => [entry.subpath, entry] as const))(
    '%s matches its report (run `npm run api:update` after a deliberate change)',
    (_, entry) => {
      const report = writeApiReport(entry, built, generated);
      expect(report).toBe(readFileSync(join(REPORT_FOLDER, `${entry.name}.api.md`), 'utf8'));
    },
    60_000,
  );

  it.each(entryPoints().map((entry) => [entry.subpath, entry.source] as const))(
    '%s is a list of named exports (no `export *`, so no name is public without being listed)',
    (_, source) => {
      const text = readFileSync(join(ROOT, source), 'utf8');
      expect(text).not.toMatch(/export\s+(type\s+)?\*/);
      const statements = text.match(/^export\b.*$/gm) ?? [];
      for (const statement of statements) expect(statement).toMatch(/^export (type )?\{/);
    },
  );
});
