import { LocalHttpServer, readRequestBody } from '../../local/support/localHttpServer.js';

/** What the downstream saw of one task. */
export interface DownstreamCalls {
  failed: number;
  firstSuccessAt: number | undefined;
}

/**
 * The downstream service every stack's worker calls once per attempt at a task (POST `{ taskId }` to
 * WORKER_DEPENDENCY_URL): it fails a task's first `failCalls` calls (transient failures), fails every call
 * during an outage window, and otherwise answers 200 after `latencyMs`. It is where a task's work is done,
 * so it records when each task first succeeded, whichever stack and redelivery path got it there.
 */
export class ScenarioDownstream {
  readonly calls = new Map<string, DownstreamCalls>();
  readonly #server: LocalHttpServer;
  #outage: { from: number; to: number } | undefined;

  constructor(
    private readonly failCalls: ReadonlyMap<string, number>,
    private readonly latencyMs: number,
  ) {
    this.#server = new LocalHttpServer(
      async (request, response) => {
        const { taskId } = JSON.parse((await readRequestBody(request)).toString('utf8') || '{}') as {
          taskId?: string;
        };
        if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
        const calls = this.#callsOf(taskId ?? '');
        const now = Date.now();
        const down = this.#outage !== undefined && now >= this.#outage.from && now < this.#outage.to;
        if (down || calls.failed < (this.failCalls.get(taskId ?? '') ?? 0)) {
          calls.failed += 1;
          response.writeHead(503).end('unavailable (scenario)');
          return;
        }
        calls.firstSuccessAt ??= now;
        response.writeHead(200).end('ok');
      },
      (response) => response.writeHead(500).end(),
    );
  }

  /** Fails every call in [from, to), real epoch ms. */
  failBetween(from: number, to: number): void {
    this.#outage = { from, to };
  }

  /** The service's URL, for WORKER_DEPENDENCY_URL. */
  async start(): Promise<string> {
    return `${await this.#server.listen()}/`;
  }

  stop(): Promise<void> {
    return this.#server.close();
  }

  #callsOf(taskId: string): DownstreamCalls {
    let calls = this.calls.get(taskId);
    if (calls === undefined) {
      calls = { failed: 0, firstSuccessAt: undefined };
      this.calls.set(taskId, calls);
    }
    return calls;
  }
}
