import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findLowContrast } from './contrast.js';
import { launchChromium } from './launch-chromium.js';

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe('the contrast check the portal e2e applies to every page', () => {
  it('flags light grey text on white and on a light panel, and passes dark text', async () => {
    const page = await browser.newPage();
    await page.setContent(`
      <p style="color:#1b1f24">dark enough</p>
      <p style="color:#999999">too light</p>
      <div style="background:#e5effa"><span style="color:#7a9cc6">faint on blue</span></div>
    `);

    const findings = await findLowContrast(page);

    expect(findings.map((f) => f.text)).toEqual(['too light', 'faint on blue']);
    expect(findings.every((f) => f.ratio < 4.5)).toBe(true);
    await page.close();
  });
});
