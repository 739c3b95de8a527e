import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleFixture, causeId, startConsoleFixture } from '../../helpers/consoleFixture.js';
import { type HeadlessBrowser, launchHeadlessBrowser } from '../../helpers/headlessBrowser.js';
import { type LocalAws, startLocalAws } from '../../helpers/localAws.js';

/**
 * The console in a real headless Chromium, as an operator uses it: open the printed link, see the DLQ's
 * causes, dry-run the redrive of one cause, run it, and watch the queues change. A screenshot of the page
 * is kept in test-artifacts/ (ignored by git) for a person to look at.
 */
const PER_CAUSE = 6;
const ARTIFACTS = join(process.cwd(), 'test-artifacts');
let server: LocalAws;
let fixture: ConsoleFixture;
let browser: HeadlessBrowser;

beforeAll(async () => {
  server = await startLocalAws();
  fixture = await startConsoleFixture(server, PER_CAUSE);
  browser = await launchHeadlessBrowser();
});
afterAll(async () => {
  await browser?.close();
  await fixture?.close();
  await server?.stop();
});

const textOf = (page: Page, selector: string) =>
  page.$eval(selector, (element) => (element.textContent ?? '').trim());

describe('console in a browser', () => {
  it('shows the causes, previews and runs the redrive of one of them, and the queue counts follow', async () => {
    const { page, errors } = await browser.open(fixture.console.url);
    await page.setViewport({ width: 1400, height: 1000 });

    // The overview: the consumer with its DLQ depth.
    await page.waitForSelector(`[data-testid="consumer-${fixture.consumer.id}"] [data-testid="dlq-depth"]`);
    expect(await textOf(page, '[data-testid="dlq-depth"]')).toBe(String(5 * PER_CAUSE));

    // Triage: five causes, grouped.
    await page.click('[data-testid="triage-link"]');
    await page.waitForSelector('[data-testid="group"]');
    const groups = await page.$$eval('[data-testid="group"]', (elements) =>
      elements.map((element) => ({
        cause: element.getAttribute('data-cause'),
        count: element.querySelector('[data-testid="group-count"]')?.textContent,
        label: element.querySelector('[data-testid="group-label"]')?.textContent,
      })),
    );
    expect(groups).toHaveLength(5);
    expect(groups.every((group) => group.count === String(PER_CAUSE))).toBe(true);
    expect(groups.map((group) => group.label)).toContain('TimeoutError: inventory timed out after <n> ms');
    // No body reached the page.
    expect(await page.content()).not.toMatch(/body-\d/);

    // Dry run of one cause: it names the count and the verified destination, and moves nothing.
    const target = `[data-testid="group"][data-cause="${causeId(2)}"]`;
    await page.click(`${target} [data-testid="redrive-group"]`);
    await page.click('[data-testid="dry-run"]');
    await page.waitForSelector('[data-testid="preview-summary"]');
    expect(await textOf(page, '[data-testid="preview-summary"]')).toMatch(
      new RegExp(`^${PER_CAUSE} message\\(s\\) would go back to their source; ${4 * PER_CAUSE} others stay`),
    );
    expect(await textOf(page, '[data-testid="destinations"]')).toContain('its redrive policy names this DLQ');
    expect(await fixture.depth(fixture.queue)).toBe(0);

    // The run: live progress to done, and the counts change by exactly that cause.
    await page.click('[data-testid="run"]');
    await page.waitForSelector('[data-testid="progress-summary"][data-state="done"]');
    expect(await textOf(page, '[data-testid="progress-summary"]')).toMatch(
      new RegExp(`^Done: ${PER_CAUSE} of ${PER_CAUSE}, 0 failed`),
    );
    expect(await fixture.depth(fixture.queue)).toBe(PER_CAUSE);
    expect(await fixture.depth(fixture.dlq)).toBe(4 * PER_CAUSE);
    await page.waitForFunction(
      `document.querySelectorAll('[data-testid="group"]').length === 4 && !document.querySelector('[data-cause="${causeId(2)}"]')`,
    );

    // One message: metadata and attempt counts; its body only after the click.
    const other = `[data-testid="group"][data-cause="${causeId(0)}"]`;
    await page.click(`${other} [data-testid="show-messages"]`);
    await page.waitForSelector(`${other} [data-testid="message-link"]`);
    await page.click(`${other} [data-testid="message-link"]`);
    await page.waitForSelector('[data-testid="attempts-summary"]');
    expect(await textOf(page, '[data-testid="attempts-summary"]')).toMatch(
      /^2 attempt\(s\), dead-lettered on receive 3 of its last copy/,
    );
    expect(await page.$('[data-testid="body"]')).toBeNull();
    await page.click('[data-testid="show-body"]');
    await page.waitForSelector('[data-testid="body"]');
    expect(await textOf(page, '[data-testid="body"]')).toMatch(/body-0-\d/);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'console-triage.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
