import type { Browser, Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../e2e/launch-chromium.js';

const ROWS = 10_000;

let vite: ViteDevServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  vite = await createServer({
    configFile: 'web/vite.config.ts',
    logLevel: 'warn',
    server: { host: '127.0.0.1', port: 0, hmr: false },
    // Pre-bundle what the harness imports before the page asks, so a first
    // run on a fresh clone never re-optimises mid-load.
    optimizeDeps: { entries: ['harness/*.html'] },
  });
  await vite.listen();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const address = vite.httpServer!.address();
  if (address === null || typeof address === 'string') throw new Error('vite has no port');
  await page.goto(`http://127.0.0.1:${address.port}/harness/trace-table.html?rows=${ROWS}`);
  await page.waitForSelector('tr[data-row]');
});

afterAll(async () => {
  await browser?.close();
  await vite?.close();
});

const renderedRows = () => page.locator('tbody tr[data-row]').count();

describe('TraceTable with 10,000 messages', () => {
  it('puts only a window of rows in the DOM, while telling assistive technology the full count', async () => {
    const rows = await renderedRows();
    expect(rows).toBeGreaterThan(5);
    expect(rows).toBeLessThan(100);
    expect(await page.locator('table').getAttribute('aria-rowcount')).toBe(String(ROWS + 1));
  });

  it('renders the last message after scrolling to the bottom, still as a small window', async () => {
    await page.locator('.table-scroll').evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    const last = page.locator(`tr[aria-rowindex="${ROWS + 1}"]`);
    await last.waitFor();
    expect(await last.textContent()).toContain(`Message number ${ROWS - 1}`);
    expect(await page.locator('tr[aria-rowindex="2"]').count()).toBe(0);
    expect(await renderedRows()).toBeLessThan(100);
  });

  it('selects a message with the keyboard alone', async () => {
    await page.locator('.table-scroll').evaluate((el) => {
      el.scrollTop = 0;
    });
    await page.locator('tr[aria-rowindex="2"]').waitFor();
    await page.locator('thead input[type="checkbox"]').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await expect.poll(() => page.locator('#selected-count').textContent()).toBe('1 selected');
    expect(await page.locator(':focus').getAttribute('aria-label')).toBe('Select Message number 0');
  });

  it('offers no checkbox to tick for a message delivered to no mailbox, and says why', async () => {
    const scroller = page.locator('.table-scroll');
    await scroller.evaluate((el) => {
      el.scrollTop = 0;
    });
    const rowHeight = await page
      .locator('tr[aria-rowindex="2"]')
      .evaluate((el) => el.getBoundingClientRect().height);
    await scroller.evaluate((el, y) => {
      el.scrollTop = y;
    }, rowHeight * 55);
    // Message number 60 reached nobody: the harness gives it 3 filtered recipients.
    const nobody = page.locator('tr[aria-rowindex="62"]');
    await nobody.waitFor();
    const box = nobody.getByRole('checkbox');

    expect(await box.isDisabled()).toBe(true);
    expect(await box.getAttribute('aria-label')).toBe(
      'Message number 60 was delivered to no mailbox: there is nothing to retract',
    );
    expect(await nobody.locator('td.num').textContent()).toBe('0');
    expect(await nobody.textContent()).toContain('3 filtered');
    expect(await page.locator('tr[aria-rowindex="61"]').getByRole('checkbox').isDisabled()).toBe(
      false,
    );
  });
});
