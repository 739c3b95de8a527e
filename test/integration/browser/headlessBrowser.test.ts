import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HeadlessBrowser, launchHeadlessBrowser } from '../../helpers/headlessBrowser.js';

/** The browser the page tests use starts from what `npm ci` installed, and reports page errors. */
describe('headless browser', () => {
  let browser: HeadlessBrowser;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    browser = await launchHeadlessBrowser();
    server = createServer((request, response) => {
      response.setHeader('content-type', 'text/html');
      const script = request.url === '/broken' ? 'undefinedFunction();' : 'document.title = "ready";';
      response.end(`<!doctype html><title>x</title><script>${script}</script>`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('renders a local page and runs its script', async () => {
    const { page, errors } = await browser.open(`${url}/`);
    expect(await page.title()).toBe('ready');
    expect(errors).toEqual([]);
  });

  it('records an uncaught page error', async () => {
    const { errors } = await browser.open(`${url}/broken`);
    expect(errors.join('\n')).toMatch(/undefinedFunction/);
  });
});
