import { buildDeclarations, entryPoints, REPORT_FOLDER, writeApiReport } from '../helpers/apiReport.js';

/**
 * `npm run api:update`: rewrites api/<entry>.api.md for every entry point in package.json "exports". Run it
 * after changing what an entry point exports, and review the diff: it is the public API change.
 */
const built = buildDeclarations();
for (const entry of entryPoints()) {
  writeApiReport(entry, built, REPORT_FOLDER);
  console.log(`api/${entry.name}.api.md (${entry.subpath})`);
}
