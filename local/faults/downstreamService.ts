import { LocalHttpServer, readRequestBody } from '../support/localHttpServer.js';

export interface OutageWindow {
  /** Seconds after start() when the service starts failing. */
  readonly startSeconds: number;
  readonly durationSeconds: number;
}

/**
 * The simulated downstream dependency of the demo worker (WORKER_DEPENDENCY_URL): answers 200, except
 * during the outage window, when it answers 503. Counts what it served, so a run can tell how many calls
 * an outage wasted.
 */
export class DownstreamService {
  readonly counts = { ok: 0, failed: 0, failedDuringOutage: 0 };
  readonly #server: LocalHttpServer;
  #startedAt = 0;
  #endpoint = '';

  constructor(private readonly outage: OutageWindow | undefined) {
    this.#server = new LocalHttpServer(
      async (request, response) => {
        await readRequestBody(request);
        if (this.isDown()) {
          this.counts.failed += 1;
          this.counts.failedDuringOutage += 1;
          response.writeHead(503).end('down (simulated outage)');
        } else {
          this.counts.ok += 1;
          response.writeHead(200).end('ok');
        }
      },
      (response) => response.writeHead(500).end(),
    );
  }

  get endpoint(): string {
    return this.#endpoint;
  }

  /** Epoch ms the outage ends (undefined without one). */
  get recoversAt(): number | undefined {
    return this.outage === undefined
      ? undefined
      : this.#startedAt + (this.outage.startSeconds + this.outage.durationSeconds) * 1_000;
  }

  /** Epoch ms the outage starts (undefined without one). */
  get failsAt(): number | undefined {
    return this.outage === undefined ? undefined : this.#startedAt + this.outage.startSeconds * 1_000;
  }

  isDown(now = Date.now()): boolean {
    const from = this.failsAt;
    const to = this.recoversAt;
    return from !== undefined && to !== undefined && now >= from && now < to;
  }

  async start(): Promise<string> {
    const endpoint = await this.#server.listen();
    this.#startedAt = Date.now();
    this.#endpoint = `${endpoint}/`;
    return this.#endpoint;
  }

  stop(): Promise<void> {
    return this.#server.close();
  }
}
