import type { RunRecord, TaskTrace } from './runRecord.js';

/** A run record as JSON (its traces as entries), to hand it from the process that ran it. */
export function runRecordToJson(record: RunRecord): string {
  return JSON.stringify({ ...record, traces: [...record.traces.entries()] });
}

export function runRecordFromJson(text: string): RunRecord {
  const parsed = JSON.parse(text) as Omit<RunRecord, 'traces'> & { traces: [string, TaskTrace][] };
  return { ...parsed, traces: new Map(parsed.traces) };
}
