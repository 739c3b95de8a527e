import chromium from '@sparticuz/chromium';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

/**
 * A real headless Chromium for page tests. The browser comes from the `@sparticuz/chromium` npm package,
 * which ships the binary inside it, so `npm ci` on a fresh machine brings it: no download at test time,
 * which fails on a machine without internet.
 */
export interface HeadlessBrowser {
  readonly browser: Browser;
  /** A new page that records every console error and uncaught page error into `errors`. */
  open(url: string): Promise<{ page: Page; errors: string[] }>;
  close(): Promise<void>;
}

export async function launchHeadlessBrowser(): Promise<HeadlessBrowser> {
  const browser = await puppeteer.launch({
    executablePath: await chromium.executablePath(),
    args: chromium.args,
    headless: true,
  });
  return {
    browser,
    async open(url) {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(String(error)));
      await page.goto(url, { waitUntil: 'load' });
      return { page, errors };
    },
    close: () => browser.close(),
  };
}
