import type { Locator, Page } from 'playwright-core';

/**
 * Scrolls the virtualised receipts table from top to bottom and reads each
 * mailbox's status (`retracted`, `not_found`…), since only the rows in view
 * are in the DOM. Leaves the table scrolled back to the top.
 */
export async function readAllReceipts(page: Page): Promise<Map<string, string>> {
  const region = page.getByRole('region', { name: /Per-mailbox receipts/ });
  await region.locator('tr[data-row]').first().waitFor();
  const seen = new Map<string, string>();
  for (let step = 0; step < 100; step += 1) {
    await readRows(region, seen);
    const atEnd = await region.evaluate((el) => {
      const before = el.scrollTop;
      el.scrollTop += el.clientHeight * 0.8;
      return el.scrollTop === before;
    });
    if (atEnd) break;
    await nextFrames(region);
  }
  await region.evaluate((el) => {
    el.scrollTop = 0;
  });
  return seen;
}

async function readRows(region: Locator, seen: Map<string, string>): Promise<void> {
  for (const row of await region.locator('tr[data-row]').all()) {
    const cells = row.locator('td');
    const status = (await cells.nth(1).textContent())!.replace(' ', '_');
    seen.set((await cells.nth(0).textContent())!, status);
  }
}

/** Two animation frames: the table has drawn the rows of its new scroll position. */
function nextFrames(region: Locator): Promise<void> {
  return region.evaluate(
    (el) =>
      new Promise<void>((done) => {
        const view = el.ownerDocument.defaultView!;
        view.requestAnimationFrame(() => view.requestAnimationFrame(() => done()));
      }),
  );
}
