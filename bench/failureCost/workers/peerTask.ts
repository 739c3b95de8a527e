import type { SQSRecord } from 'aws-lambda';
import * as v from 'valibot';
import { taskSchema } from '../../../functions/worker/task.js';

/**
 * The worker's task as a team writes it without sqs-failsafe, for the Powertools and Middy stacks: parse
 * the body, validate it with the worker's own schema, call the downstream (WORKER_DEPENDENCY_URL) once. Any
 * throw fails the record, and the library reports it in the partial batch response.
 */
const url = process.env.WORKER_DEPENDENCY_URL ?? '';

export async function processTaskRecord(record: SQSRecord): Promise<void> {
  const task = v.parse(taskSchema, JSON.parse(record.body));
  const response = await fetch(url, { method: 'POST', body: JSON.stringify({ taskId: task.taskId }) });
  if (!response.ok) throw new Error(`downstream answered HTTP ${response.status}`);
}
