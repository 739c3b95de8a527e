import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOOPBACK } from './loopback.js';

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

/**
 * An HTTP server on a free loopback port, for the local stand-ins of AWS endpoints (Lambda, CloudWatch,
 * the fault proxy). A handler that throws answers with `onError`'s reply instead of hanging the client.
 */
export class LocalHttpServer {
  readonly #server: Server;
  #endpoint = '';

  constructor(handle: RequestHandler, onError: (response: ServerResponse, error: Error) => void) {
    this.#server = createServer((request, response) => {
      handle(request, response).catch((error: Error) => {
        if (!response.headersSent) onError(response, error);
      });
    });
  }

  /** `http://127.0.0.1:<port>`, once listening. */
  get endpoint(): string {
    return this.#endpoint;
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, LOOPBACK, resolve));
    this.#endpoint = `http://${LOOPBACK}:${(this.#server.address() as AddressInfo).port}`;
    return this.#endpoint;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }
}

export function readRequestBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
