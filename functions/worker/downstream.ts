import { DependencyError } from '../../lib/index.js';

/**
 * The downstream service a task calls, when WORKER_DEPENDENCY_URL names one (the local runtime sets it to
 * a simulated service for outage demos). A failure is a DependencyError naming `downstream`, so the
 * runtime's dependency breaker and the consumer circuit breaker can tell an outage from a bad message.
 */
export interface Downstream {
  /** Takes only what it sends (the task id), so this module needs nothing from task.ts. */
  call(task: { readonly taskId: string }, signal: AbortSignal): Promise<void>;
}

export const DOWNSTREAM = 'downstream';

export function downstreamFromEnvironment(env: NodeJS.ProcessEnv = process.env): Downstream | undefined {
  const url = env.WORKER_DEPENDENCY_URL;
  if (url === undefined || url === '') return undefined;
  return {
    async call(task, signal) {
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          body: JSON.stringify({ taskId: task.taskId }),
          signal,
        });
      } catch (error) {
        throw new DependencyError(DOWNSTREAM, error);
      }
      if (!response.ok) throw new DependencyError(DOWNSTREAM, `HTTP ${response.status}`);
    },
  };
}
