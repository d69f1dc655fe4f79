import type { Page, Response } from 'playwright-core';

/**
 * Watches what a page receives for secrets: every API answer's body and
 * headers, and the page's own HTML whenever `checkPage` is called. A leak
 * is recorded with where it was seen, so the test can name it.
 */
export class SecretWatch {
  readonly #secrets: string[];
  readonly #pending: Promise<void>[] = [];
  readonly leaks: string[] = [];
  answersSeen = 0;

  constructor(secrets: string[]) {
    this.#secrets = secrets.filter((s) => s.length > 0).map((s) => s.toLowerCase());
  }

  /** Reads every /api answer the page gets (event streams excepted: they never end on their own). */
  watch(page: Page): void {
    page.on('response', (response) => {
      if (!new URL(response.url()).pathname.startsWith('/api/')) return;
      this.#pending.push(this.#inspect(response));
    });
  }

  async #inspect(response: Response): Promise<void> {
    const headers = await response.allHeaders();
    this.check(`headers of ${response.url()}`, JSON.stringify(headers));
    if ((headers['content-type'] ?? '').includes('text/event-stream')) return;
    const body = await response.text().catch(() => '');
    this.answersSeen += 1;
    this.check(`answer of ${response.request().method()} ${response.url()}`, body);
  }

  async checkPage(page: Page, where: string): Promise<void> {
    this.check(`page ${where}`, await page.content());
  }

  check(where: string, text: string): void {
    const lower = text.toLowerCase();
    if (this.#secrets.some((s) => lower.includes(s))) this.leaks.push(where);
  }

  /** Waits for answers still being read. */
  async settle(): Promise<void> {
    await Promise.allSettled(this.#pending.splice(0));
  }
}
