import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { BenchCheckError } from '../suite.js';
import type { RunRecord } from './runRecord.js';
import { runRecordFromJson } from './runRecordJson.js';
import type { ScenarioProcessInput } from './scenarioProcess.js';

const SCRIPT = fileURLToPath(new URL('./scenarioProcess.ts', import.meta.url));

/**
 * Runs one stack through one scenario in a fresh child process, so that no run inherits the last one's
 * execution environments, timers or garbage. Its progress lines are printed with `prefix`.
 */
export function runInProcess(input: ScenarioProcessInput, prefix: string): Promise<RunRecord> {
  return new Promise((resolve, reject) => {
    // NODE_OPTIONS may carry the parent's loader; the child asks for tsx itself.
    const { NODE_OPTIONS: _loader, ...env } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, JSON.stringify(input)], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    createInterface({ input: child.stdout }).on('line', (line) =>
      console.log(`${prefix}${line.trimStart()}`),
    );
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        const text = readFileSync(input.outputFile, 'utf8');
        const check = (JSON.parse(text) as { check?: string }).check;
        if (check !== undefined) reject(new BenchCheckError(check));
        else if (code !== 0) reject(new Error(`the ${prefix.trim()} run exited with code ${code}`));
        else resolve(runRecordFromJson(text));
      } catch (error) {
        reject(code === 0 ? error : new Error(`the ${prefix.trim()} run exited with code ${code}`));
      } finally {
        rmSync(input.outputFile, { force: true });
      }
    });
  });
}
