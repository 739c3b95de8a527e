import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { AwsClients } from '../../lib/aws/awsClients.js';
import type { LoggerLike } from '../../lib/types.js';
import type { ConsumerDefinition } from './consumers/consumerInventory.js';
import type { OldestAgeReader } from './consumers/consumerStatus.js';
import type { LiveSource } from './live/liveSource.js';
import { consoleApp } from './server/consoleApp.js';
import { newConsoleToken } from './server/consoleSecurity.js';
import type { TriageOptions } from './triage/deadLetterTriage.js';

export interface StartConsoleOptions {
  readonly consumers: readonly ConsumerDefinition[];
  readonly problems?: readonly string[];
  /** SDK clients; the library's shared ones (the operator's credentials, region and endpoint) by default. */
  readonly aws?: AwsClients;
  readonly oldestAge?: OldestAgeReader;
  readonly logger?: LoggerLike;
  readonly live?: LiveSource;
  /** @default 0: a free port */
  readonly port?: number;
  readonly scan?: TriageOptions['scan'];
  readonly receiveWaitSeconds?: number;
}

export interface RunningConsole {
  /** The page, token included: the only way in. */
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  close(): Promise<void>;
}

const QUIET: LoggerLike = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Starts the operator console: an HTTP server on 127.0.0.1 only (never another interface), on a free
 * port, with a fresh token that the returned URL carries.
 *
 * @example
 * const console = await startConsole({ consumers });
 * process.stdout.write(`Open ${console.url}\n`);
 */
export async function startConsole(options: StartConsoleOptions): Promise<RunningConsole> {
  const token = newConsoleToken();
  let port = 0;
  const app = consoleApp({
    token,
    port: () => port,
    consumers: options.consumers,
    problems: options.problems ?? [],
    aws: options.aws ?? {},
    logger: options.logger ?? QUIET,
    ...(options.oldestAge === undefined ? {} : { oldestAge: options.oldestAge }),
    ...(options.live === undefined ? {} : { live: options.live }),
    ...(options.scan === undefined ? {} : { scan: options.scan }),
    ...(options.receiveWaitSeconds === undefined ? {} : { receiveWaitSeconds: options.receiveWaitSeconds }),
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: options.port ?? 0 }, () =>
      resolve(started),
    );
    started.once('error', reject);
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        // Open keep-alive connections (the page polls) would hold close() until they time out.
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
