import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageSummary } from '../../../cli/console/consoleApi.js';
import { type ConsoleFixture, causeId, startConsoleFixture } from '../../helpers/consoleFixture.js';
import { type LocalAws, startLocalAws } from '../../helpers/localAws.js';

/** Each guard of the console, tried from outside as a hostile page or another machine would. */
let server: LocalAws;
let fixture: ConsoleFixture;

beforeAll(async () => {
  server = await startLocalAws();
  fixture = await startConsoleFixture(server, 2);
});
afterAll(async () => {
  await fixture?.close();
  await server?.stop();
});

interface Raw {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A request with exactly these headers (fetch would not let a test set Host). */
function raw(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
  host = '127.0.0.1',
): Promise<Raw> {
  const { port } = new URL(fixture.console.origin);
  return new Promise((resolve, reject) => {
    const outgoing = request({ host, port, method, path, headers }, (response) => {
      let text = '';
      response.on('data', (chunk) => {
        text += chunk;
      });
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }),
      );
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

const token = () => fixture.console.token;
const origin = () => fixture.console.origin;
const host = () => new URL(origin()).host;
const action = JSON.stringify({
  consumerId: 'x',
  operation: 'redrive',
  selection: { fingerprint: 'x' },
  dryRun: true,
});

describe('console security', () => {
  it('listens on 127.0.0.1 only: another interface of this machine is refused', async () => {
    expect(new URL(fixture.console.url).hostname).toBe('127.0.0.1');
    const external = Object.values(networkInterfaces())
      .flat()
      .find((address) => address?.family === 'IPv4' && !address.internal)?.address;
    if (external !== undefined) {
      await expect(raw('GET', `/?token=${token()}`, {}, undefined, external)).rejects.toMatchObject({
        code: 'ECONNREFUSED',
      });
    }
    await expect(raw('GET', `/?token=${token()}`, { host: host() })).resolves.toMatchObject({ status: 200 });
  });

  it('refuses every request without the token, or with a wrong one', async () => {
    for (const path of [
      '/',
      '/api/overview',
      `/api/consumers/${fixture.consumer.id}/causes`,
      '/api/live',
      '/nowhere',
    ]) {
      expect((await raw('GET', path, { host: host() })).status, path).toBe(401);
      expect(
        (await raw('GET', `${path}?token=${'A'.repeat(token().length)}`, { host: host() })).status,
        path,
      ).toBe(401);
      expect((await raw('GET', path, { host: host(), 'x-console-token': 'short' })).status, path).toBe(401);
    }
    const refused = await raw('GET', '/', { host: host() });
    expect(refused.body).not.toContain(token());
  });

  it('refuses a Host it does not answer as (DNS rebinding)', async () => {
    const { port } = new URL(origin());
    const rebound = await raw('GET', `/api/overview?token=${token()}`, { host: `evil.example:${port}` });
    expect(rebound.status).toBe(403);
  });

  it('takes the token from the URL for reads, but a state-changing request needs it in the header', async () => {
    expect((await raw('GET', `/api/overview?token=${token()}`, { host: host() })).status).toBe(200);
    const inUrl = await raw(
      'POST',
      `/api/actions?token=${token()}`,
      { host: host(), origin: origin(), 'content-type': 'application/json' },
      action,
    );
    expect(inUrl.status).toBe(401);
    expect(JSON.parse(inUrl.body).error).toMatch(/needs the console token in the x-console-token header/);
  });

  it('refuses a state-changing request from another origin, without an origin, or not in JSON', async () => {
    const headers = { host: host(), 'x-console-token': token(), 'content-type': 'application/json' };
    expect((await raw('POST', '/api/actions', headers, action)).status).toBe(403);
    expect(
      (await raw('POST', '/api/actions', { ...headers, origin: 'http://evil.example' }, action)).status,
    ).toBe(403);
    expect(
      (
        await raw(
          'POST',
          '/api/actions',
          { ...headers, origin: origin(), 'content-type': 'text/plain' },
          action,
        )
      ).status,
    ).toBe(415);
    // The same request, from the page: accepted (here refused only for naming no consumer). Chromium
    // leaves Origin out of some same-origin requests and says so in Sec-Fetch-Site instead.
    expect((await raw('POST', '/api/actions', { ...headers, origin: origin() }, action)).status).toBe(404);
    expect(
      (await raw('POST', '/api/actions', { ...headers, 'sec-fetch-site': 'same-origin' }, action)).status,
    ).toBe(404);
  });

  it('sends a body only to a request with the token in its header, never with the groups or messages', async () => {
    const groups = await raw('GET', `/api/consumers/${fixture.consumer.id}/causes?token=${token()}`, {
      host: host(),
    });
    const messages = await raw(
      'GET',
      `/api/consumers/${fixture.consumer.id}/causes/${causeId(0)}/messages?token=${token()}`,
      { host: host() },
    );
    for (const answer of [groups, messages]) {
      expect(answer.status).toBe(200);
      expect(answer.body).not.toMatch(/body-\d/);
    }
    const [message] = JSON.parse(messages.body) as MessageSummary[];
    const path = `/api/consumers/${fixture.consumer.id}/messages/${message?.messageId}/body`;
    const detail = await raw(
      'GET',
      `/api/consumers/${fixture.consumer.id}/messages/${message?.messageId}?token=${token()}`,
      { host: host() },
    );
    expect(detail.status).toBe(200);
    expect(detail.body).not.toMatch(/body-\d/);
    expect((await raw('GET', `${path}?token=${token()}`, { host: host() })).status).toBe(401);
    const asked = await raw('GET', path, { host: host(), 'x-console-token': token() });
    expect(asked.status).toBe(200);
    expect(asked.body).toMatch(/body-0-/);
  });

  it('serves the page with a script policy that runs only its own inline script, and no referrer to other sites', async () => {
    const page = await raw('GET', `/?token=${token()}`, { host: host() });
    const policy = String(page.headers['content-security-policy']);
    const nonce = /script-src 'nonce-([^']+)'/.exec(policy)?.[1];
    expect(nonce).toBeDefined();
    expect(page.body).toContain(`<script nonce="${nonce}">`);
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(page.headers['referrer-policy']).toBe('same-origin');
    expect(page.headers['cache-control']).toBe('no-store');
  });
});
