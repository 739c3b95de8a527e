import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BenchCheckError } from '../suite.js';
import type { RunRecord } from './runRecord.js';
import { runRecordFromJson, runRecordToJson } from './runRecordJson.js';

/**
 * Every run's record is kept, so that a change to one stack (sqs-failsafe's defaults, say) is measured by
 * running that stack again and reporting the others from their last runs (FAILURE_COST_REUSE): a run of
 * all nine takes half an hour on a shared 2-core machine. A saved run is reused only when nothing that
 * decides its figures differs: the stack's template (which names its bundled code by content hash), the
 * messages, the seed and the time scale. A change to the local runtime itself is not seen: after one, run
 * every stack again (docs/benchmarks.md).
 */
export interface SavedRun {
  /** ISO time the run ended. */
  readonly measuredAt: string;
  readonly seed: number;
  /** SHA-256 of the stack's synthesized template: same template, same code, same settings. */
  readonly templateSha256: string;
  readonly record: RunRecord;
}

/** What a reused run must match. */
export interface RunIdentity {
  readonly scenario: string;
  readonly contender: string;
  readonly messages: number;
  readonly seed: number;
  readonly timeScale: number;
  readonly templateSha256: string;
}

const fileOf = (directory: string, scenario: string, contender: string) =>
  join(directory, `${scenario}-${contender}.json`);

export function saveRun(directory: string, run: SavedRun): void {
  mkdirSync(directory, { recursive: true });
  const { record, ...about } = run;
  writeFileSync(
    fileOf(directory, record.scenario, record.contender),
    JSON.stringify({ ...about, record: JSON.parse(runRecordToJson(record)) }),
  );
}

/** The saved run matching `wanted`; a BenchCheckError saying what differs when there is none to reuse. */
export function loadRun(directory: string, wanted: RunIdentity): SavedRun {
  const file = fileOf(directory, wanted.scenario, wanted.contender);
  const what = `FAILURE_COST_REUSE: ${wanted.contender} in the ${wanted.scenario} scenario`;
  if (!existsSync(file)) throw new BenchCheckError(`${what} has no saved run (${file}): run it first`);
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Omit<SavedRun, 'record'> & { record: unknown };
  const saved: SavedRun = { ...parsed, record: runRecordFromJson(JSON.stringify(parsed.record)) };
  const differences = [
    saved.templateSha256 === wanted.templateSha256 ? undefined : 'the stack (its template or code) changed',
    saved.record.tasks.length === wanted.messages ? undefined : `messages ${saved.record.tasks.length}`,
    saved.seed === wanted.seed ? undefined : `seed ${saved.seed}`,
    saved.record.timeScale === wanted.timeScale ? undefined : `time scale ${saved.record.timeScale}`,
  ].filter((difference) => difference !== undefined);
  if (differences.length > 0)
    throw new BenchCheckError(
      `${what}: the saved run differs (${differences.join(', ')}): run it again instead`,
    );
  return saved;
}

/** The hash a saved run is matched by (see SavedRun.templateSha256). */
export function templateSha256(assemblyDirectory: string, stackName: string): string {
  const template = readFileSync(join(assemblyDirectory, `${stackName}.template.json`));
  return createHash('sha256').update(template).digest('hex');
}
