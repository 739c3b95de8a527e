import { Server } from 'node:net';
import { type FauxqsServer, startFauxqs } from 'fauxqs';
import { LOOPBACK } from './loopback.js';

/**
 * The embedded SQS/SNS server, listening on 127.0.0.1 only. fauxqs 2.4.1 listens on every interface (it
 * passes `host: '0.0.0.0'` to Fastify whatever it is given: docs/aws-semantics.md#fauxqs-gaps), which would
 * put the local queues, and whatever the demo sends through them, on the machine's network. While it starts,
 * a listen on all interfaces is narrowed to the loopback; every other listen passes unchanged.
 *
 * @example
 * const server = await startLoopbackFauxqs({ port: 0, logger: false });
 */
export async function startLoopbackFauxqs(options: Parameters<typeof startFauxqs>[0]): Promise<FauxqsServer> {
  const listen = Server.prototype.listen;
  Server.prototype.listen = function listenOnLoopback(this: Server, ...args: unknown[]) {
    const [first] = args;
    if (
      typeof first === 'object' &&
      first !== null &&
      ['0.0.0.0', '::'].includes(String((first as { host?: unknown }).host))
    )
      args[0] = { ...first, host: LOOPBACK };
    return (listen as (...rest: unknown[]) => Server).apply(this, args);
  } as typeof listen;
  try {
    return await startFauxqs(options);
  } finally {
    Server.prototype.listen = listen;
  }
}
