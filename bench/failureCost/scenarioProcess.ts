import { writeFileSync } from 'node:fs';
import { BenchCheckError } from '../suite.js';
import { runRecordToJson } from './runRecordJson.js';
import { type RunOptions, runScenario } from './runScenario.js';
import { SCENARIOS } from './scenarios.js';

/**
 * One run in a process of its own (started by runInProcess): `node --import tsx scenarioProcess.ts <json>`
 * with the run's options, its scenario by id, and the file to write the record to. A failed check is
 * written as `{ "check": message }` and exits 3; anything else throws.
 */
export interface ScenarioProcessInput extends Omit<RunOptions, 'scenario' | 'write'> {
  readonly scenarioId: string;
  readonly outputFile: string;
}

const input = JSON.parse(process.argv[2] ?? '{}') as ScenarioProcessInput;
const scenario = SCENARIOS.find((candidate) => candidate.id === input.scenarioId);
if (scenario === undefined) throw new Error(`unknown scenario ${input.scenarioId}`);
try {
  const record = await runScenario({ ...input, scenario, write: (line) => console.log(line) });
  writeFileSync(input.outputFile, runRecordToJson(record));
} catch (error) {
  if (!(error instanceof BenchCheckError)) throw error;
  writeFileSync(input.outputFile, JSON.stringify({ check: error.message }));
  process.exitCode = 3;
}
