import type { SQSRecord } from 'aws-lambda';
import { PermanentError } from '../../lib/index.js';
import { type BenchTask, REJECTED_KIND } from '../support/sqsBatch.js';

/**
 * The record-level work every runner does: parse the JSON body once and compute a small deterministic
 * checksum of the task, in an async function. Runners that hand the record to the work parse the body here
 * ({@link workOnRecord}); sqs-failsafe parses it itself before calling the handler, so its handler gets the
 * parsed task ({@link workOnMessage}). Either way each attempt costs exactly one JSON.parse and one
 * checksum, and the two functions are single async functions so neither adds a promise hop.
 *
 * A rejected task throws a PermanentError: every runner catches it the same way, and sqs-failsafe
 * classifies it as not retryable, so all of them make exactly one call per record.
 */
export async function workOnRecord(record: SQSRecord): Promise<number> {
  return checksum(JSON.parse(record.body) as BenchTask, rejectPermanently);
}

export async function workOnMessage(message: unknown): Promise<number> {
  return checksum(message as BenchTask, rejectPermanently);
}

/** The same work, but a rejected task fails with a retryable error: used to time the retry path. */
export async function workOnMessageTransiently(message: unknown): Promise<number> {
  return checksum(message as BenchTask, rejectTransiently);
}

function rejectPermanently(task: BenchTask): Error {
  return new PermanentError(`task ${task.taskId} rejected`);
}

function rejectTransiently(task: BenchTask): Error {
  return new Error(`task ${task.taskId} failed, try again`);
}

/** FNV-1a over the task id, mixed with the payload: cheap, deterministic, and not optimised away. */
function checksum(task: BenchTask, reject: (task: BenchTask) => Error): number {
  if (task.kind === REJECTED_KIND) throw reject(task);
  let hash = 0x811c9dc5;
  for (let index = 0; index < task.taskId.length; index += 1) {
    hash = Math.imul(hash ^ task.taskId.charCodeAt(index), 0x01000193);
  }
  const { width, height, quality } = task.payload;
  return (hash ^ (width * height + quality)) >>> 0;
}
