import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailboxAddress, populate, startSimulator, type Simulator } from '../../sim/index.js';
import { findLowContrast } from './contrast.js';
import { launchChromium } from './launch-chromium.js';
import { readAllReceipts } from './receipts-reader.js';
import { ensurePortalBuilt } from './portal-build.js';
import { SecretWatch } from './secret-watch.js';
import { addUser, startServe, type ServeProcess } from './serve-process.js';

// The whole analyst journey in a real browser against `retract serve` and the
// simulator. Steps share one page and run in order; each saves a screenshot
// to test-results/ (kept by CI as artifacts).

const DOMAIN = 'example.test';
const MAILBOXES = 80;
const TEST_ACCOUNT = `user0001@${DOMAIN}`;
const ADMIN = { name: 'ada', password: 'portal-admin-password-1' };
const AUDITOR = { name: 'otto', password: 'portal-auditor-password-1' };
const WRONG_KEY = 'f'.repeat(64);
const SHOTS = join(process.cwd(), 'test-results');
const STEP_MS = 60_000;

let sim: Simulator;
let serve: ServeProcess;
let browser: Browser;
let page: Page;
let dataDir: string;
let mtaLogPath: string;
const NO_MESSAGE_ID_LOG = join(
  import.meta.dirname,
  '..',
  'fixtures',
  'mta-logs',
  'no-message-id.log',
);
let preauthKey: string;
let watch: SecretWatch;
/** The message the journey retracts, and how many mailboxes it reached. */
let target: { messageId: string; recipients: number };
let retractionUrl: string;
/** A recipient whose account is locked before the real run: its receipt must show the failure. */
let locked: string;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'retract-e2e-'));
  mtaLogPath = join(dataDir, 'zimbra.log');
  await ensurePortalBuilt();

  sim = await startSimulator({ mtaLogPath });
  preauthKey = sim.addDomain(DOMAIN).preauthKey!;
  await populate(sim, { domain: DOMAIN, mailboxes: MAILBOXES, messages: 300, seed: 5 });
  await sim.flushMtaLog();

  await addUser(dataDir, ADMIN.name, 'admin', ADMIN.password);
  await addUser(dataDir, AUDITOR.name, 'auditor', AUDITOR.password);
  serve = await startServe(dataDir);

  watch = new SecretWatch([preauthKey, WRONG_KEY]);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1360, height: 900 }, baseURL: serve.url });
  watch.watch(page);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  await sim?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function shot(step: string): Promise<void> {
  await watch.checkPage(page, step);
  expect(await findLowContrast(page), `text below 4.5:1 on ${step}`).toEqual([]);
  await page.screenshot({ path: join(SHOTS, `${step}.png`), fullPage: true });
}

async function signIn(user: { name: string; password: string }): Promise<void> {
  await page.goto('/');
  await page.getByLabel('User name').fill(user.name);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

function domainCard() {
  return page.locator(`article[data-domain="${DOMAIN}"]`);
}

async function testConnection() {
  const card = domainCard();
  await card.getByLabel('Test account').fill(TEST_ACCOUNT);
  await card.getByRole('button', { name: 'Test connection' }).click();
  const report = card.locator('.connection-report');
  await report.waitFor();
  return report;
}

describe('the portal, driven in chromium', { timeout: STEP_MS }, () => {
  it('signs in an admin by keyboard alone', async () => {
    await page.goto('/');
    await page.getByLabel('User name').waitFor();
    await shot('01-sign-in');
    // The name field has focus on arrival; Tab moves through the form in order.
    await page.keyboard.type(ADMIN.name);
    await page.keyboard.press('Tab');
    await page.keyboard.type(ADMIN.password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Mail Query' }).waitFor();
    await expect.poll(() => page.locator('.who').textContent()).toContain('admin');
  });

  it('offers a skip link first and shows a visible focus ring', async () => {
    await page.keyboard.press('Tab');
    const skip = page.locator(':focus');
    expect(await skip.textContent()).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.locator(':focus').getAttribute('id')).toBe('main');

    await page.getByRole('button', { name: 'Search', exact: true }).focus();
    const ring = await page
      .locator(':focus')
      .evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).outlineStyle);
    expect(ring).toBe('solid');
  });

  it('refuses a malformed key, then adds the domain with a wrong one and shows the key error', async () => {
    await page.getByRole('link', { name: 'Threat Remediation' }).click();
    const form = page.getByRole('form', { name: 'Add a domain' });
    await form.getByLabel('Domain').fill(DOMAIN);
    await form.getByLabel('SOAP URL').fill(sim.soapUrl);
    await form.getByLabel('PreAuth key').fill('not-a-key');
    await form.getByRole('button', { name: 'Add domain' }).click();
    await expect
      .poll(() => form.getByRole('alert').textContent())
      .toContain('DOMAIN_BAD_PREAUTH_KEY');
    expect(await form.getByLabel('PreAuth key').inputValue()).toBe('');

    await form.getByLabel('PreAuth key').fill(WRONG_KEY);
    await form.getByRole('button', { name: 'Add domain' }).click();
    await domainCard().waitFor();
    expect(await form.getByLabel('PreAuth key').inputValue()).toBe('');
    expect(await domainCard().locator('[data-key-status]').textContent()).toMatch(
      /^set on .+, fingerprint [0-9a-f]{8}$/,
    );

    const report = await testConnection();
    const preauth = report.locator('[data-check="preauth"]');
    expect(await preauth.getAttribute('class')).toBe('check-bad');
    expect((await preauth.textContent())?.toLowerCase()).toContain('key');
    await shot('02-domain-wrong-key');
  });

  it('replaces the key and passes the connection test', async () => {
    const card = domainCard();
    const before = await card.locator('[data-key-status]').textContent();
    await card.getByLabel('New PreAuth key').fill(preauthKey);
    await card.getByRole('button', { name: 'Replace key' }).click();
    await expect.poll(() => card.locator('[data-key-status]').textContent()).not.toBe(before);
    expect(await card.getByLabel('New PreAuth key').inputValue()).toBe('');

    const report = await testConnection();
    expect(await report.getAttribute('class')).toContain('report-ok');
    expect(await report.textContent()).toContain(sim.soapUrl);
    expect(await report.textContent()).toContain('127.0.0.1');
    await shot('03-domain-connection-ok');
  });

  it('changes the domain limit through its settings', async () => {
    const card = domainCard();
    await card.getByText('Change settings').click();
    await card.getByLabel('Mailboxes at once').fill('6');
    await card.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => card.textContent()).toContain('6 mailboxes at once');
  });

  it("warns when Zimbra's clock is off by more than the 5 minutes PreAuth allows", async () => {
    sim.setClockOffsetMs(10 * 60_000);
    try {
      const clock = (await testConnection()).locator('[data-check="clock"]');
      expect(await clock.getAttribute('class')).toBe('check-warn');
      expect(await clock.textContent()).toContain('What to do:');
      await shot('03b-domain-clock-off');
    } finally {
      sim.setClockOffsetMs(0);
    }
  });

  it('imports the MTA log through the portal', async () => {
    await page.getByRole('link', { name: 'Mail Query' }).click();
    await page.getByText('Import an MTA log').click();
    await page.getByLabel('Log file').setInputFiles(mtaLogPath);
    await page.getByLabel('Time zone of the log').fill('UTC');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const notice = page.getByRole('status').filter({ hasText: 'Imported' });
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(
      /zimbra\.log: [\d,]+ lines read, [1-9][\d,]* deliveries added, \d+ updated, \d+ already known, [\d,]+ delivered/,
    );
    await shot('04-log-imported');
  });

  it('queries the trace and finds a message delivered to at least 50 mailboxes', async () => {
    await page.getByLabel('Time range').selectOption('all');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const first = page.locator('tr[aria-rowindex="2"]');
    await first.waitFor();
    const recipients = Number((await first.locator('td.num').textContent())!.replace(/\D/g, ''));
    expect(recipients).toBeGreaterThanOrEqual(50);
    const messageId = (await first.locator('td code').textContent())!;
    target = { messageId, recipients };
    await shot('05-mail-query');
  });

  it('retracts it by keyboard: dry run first, then confirmed, with live progress', async () => {
    await page.locator('tr[aria-rowindex="2"]').getByRole('checkbox').focus();
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Retract…' }).focus();
    await page.keyboard.press('Enter');
    const panel = page.locator('.retract-panel');
    await panel.getByRole('radio', { name: /Move to quarantine/ }).check();
    await panel.getByRole('button', { name: 'Preview (dry run)' }).press('Enter');

    const go = panel.getByRole('button', { name: 'Retract…' });
    await expect.poll(() => go.isEnabled(), { timeout: 30_000 }).toBe(true);
    const dry = panel.locator('.run-summary').first();
    expect(Number(await dry.locator('[data-count="mailboxes"]').textContent())).toBe(
      target.recipients,
    );
    expect(Number(await dry.locator('[data-count="found"]').textContent())).toBe(target.recipients);
    await shot('06-dry-run');

    locked = recipientsWithCopies()[0]!;
    sim.setAccountStatus(locked, 'locked');
    await go.press('Enter');
    // The confirm button takes focus, so Enter confirms.
    await expect.poll(() => page.locator(':focus').textContent()).toBe('Yes, retract');
    await page.keyboard.press('Enter');
    // Focus follows to the live progress, where the news is.
    await expect.poll(() => page.locator(':focus').textContent()).toBe('Retraction');
    const live = panel.locator('.run-summary').nth(1);
    await expect
      .poll(() => live.locator('[data-count="retracted"]').textContent(), { timeout: 30_000 })
      .toBe(String(target.recipients - 1));
    await expect.poll(() => live.locator('[data-count="failed"]').textContent()).toBe('1');
    await shot('07-retracted');
  });

  it('shows every receipt, the locked mailbox’s error with advice, and copies in quarantine', async () => {
    await page.locator('.retract-panel .run-summary').nth(1).getByRole('link').first().click();
    await page.getByRole('heading', { name: /^Retraction of/ }).waitFor();
    retractionUrl = page.url();
    await expect
      .poll(() => page.locator('[data-count="retracted"]').textContent())
      .toBe(String(target.recipients - 1));

    const receipts = await readAllReceipts(page);
    expect(receipts.size).toBe(target.recipients);
    expect(receipts.get(locked)).toBe('failed');
    receipts.delete(locked);
    expect([...receipts.values()].every((status) => status === 'retracted')).toBe(true);
    const errors = page.getByRole('region', { name: 'Errors' });
    expect(await errors.textContent()).toMatch(/1 mailbox — class mailbox, .*What to do: /s);
    for (const account of receipts.keys()) {
      const quarantine = sim.folderIdByPath(account, 'Quarantine');
      const copies = copiesOf(account);
      expect(copies.length).toBeGreaterThan(0);
      expect(copies.every((m) => m.folderId === quarantine)).toBe(true);
    }

    const csv = await page.request.get(
      (await page.getByRole('link', { name: 'Export receipts (CSV)' }).getAttribute('href'))!,
    );
    const lines = (await csv.text()).trim().split('\n');
    expect(lines).toHaveLength(target.recipients + 1);
    await shot('08-receipts');
  });

  it('restores after confirmation and every copy goes back', async () => {
    await page.getByRole('button', { name: 'Restore…' }).click();
    await page.getByRole('button', { name: 'Yes, restore' }).click();
    await expect
      .poll(() => page.locator('[data-count="restored"]').textContent(), { timeout: 30_000 })
      .toBe(String(target.recipients - 1));
    const receipts = await readAllReceipts(page);
    receipts.delete(locked);
    expect([...receipts.values()].every((status) => status === 'restored')).toBe(true);
    for (const account of receipts.keys()) {
      const quarantine = sim.folderIdByPath(account, 'Quarantine');
      const copies = copiesOf(account);
      expect(copies.length).toBeGreaterThan(0);
      expect(copies.some((m) => m.folderId === quarantine)).toBe(false);
    }
    await shot('09-restored');
  });

  it('lists the retractions with their counts', async () => {
    await page.getByRole('link', { name: 'Retractions', exact: true }).click();
    const table = page.getByRole('table', { name: 'Retractions' });
    const real = table
      .locator('tr[data-row]')
      .filter({ hasText: 'quarantine' })
      .filter({ hasNotText: 'dry run' });
    await expect
      .poll(() => real.textContent())
      .toContain(`${target.recipients}: ${target.recipients - 1} restored, 1 failed`);
    expect(await table.locator('tr[data-row]').filter({ hasText: 'dry run' }).count()).toBe(1);
    await shot('10-retractions');
  });

  it('previews a retraction of every message matching a query', async () => {
    await page.getByRole('link', { name: 'Mail Query' }).click();
    await page.getByLabel('Time range').selectOption('all');
    await page.getByLabel('Message-ID').fill(target.messageId);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.locator('tr[aria-rowindex="2"]').waitFor();
    await page.getByRole('button', { name: 'Select all matching' }).click();
    await page.getByRole('button', { name: 'Retract…' }).click();
    const panel = page.locator('.retract-panel');
    expect(await panel.getByRole('heading', { level: 2 }).textContent()).toContain(
      'every message matching',
    );
    await panel.getByRole('button', { name: 'Preview (dry run)' }).click();
    await expect
      .poll(() => panel.getByRole('button', { name: 'Retract…' }).isEnabled(), { timeout: 30_000 })
      .toBe(true);
    const dry = panel.locator('.run-summary').first();
    expect(Number(await dry.locator('[data-count="mailboxes"]').textContent())).toBe(
      target.recipients,
    );
    await panel.getByRole('button', { name: 'Cancel' }).click();
    expect(await panel.count()).toBe(0);
  });

  it('lists mail without a Message-ID unselectable, and searches by its sender, subject and time', async () => {
    await page.getByText('Import an MTA log').click();
    await page.getByLabel('Log file').setInputFiles(NO_MESSAGE_ID_LOG);
    await page.getByLabel('Time zone of the log').fill('UTC');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'no-message-id.log' }).waitFor();

    // A refused search says why, and never that nothing matched.
    await page.getByLabel('Client IP address').fill('198.51.100');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByText('Search failed').waitFor();
    expect(await page.getByText('No message matches these filters.').count()).toBe(0);
    // Named by the form's label, not the API's field.
    expect(
      await page.getByRole('alert').filter({ hasText: 'Search failed' }).textContent(),
    ).toContain('Client IP address: must be an IPv4 or IPv6 address');
    await page.getByLabel('Client IP address').fill('');

    await page.getByLabel('Time range').selectOption('all');
    await page.getByLabel('Message-ID').fill('');

    // Mail without a Message-ID is found again by its queue id.
    await page.getByLabel('Queue ID').fill('8B9C0D1E2F');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => page.locator('tr[data-row]').count()).toBe(1);
    await page.getByLabel('Queue ID').fill('');
    await page.getByLabel('Sender', { exact: true }).fill('scanner@example.test');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const rows = page.locator('tr[data-row]');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.getByText('No Message-ID').count()).toBe(2);
    expect(await rows.getByRole('checkbox').first().isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Retract…' }).count()).toBe(0);
    expect(await page.locator('.results-bar [role="status"]').textContent()).toContain(
      '2 of them carried no Message-ID',
    );
    await shot('10b-no-message-id');

    await rows
      .first()
      .getByRole('button', { name: /^Find by sender: search by the sender, subject and time/ })
      .click();
    expect(await page.getByLabel('Time range').inputValue()).toBe('custom');
    expect(await page.getByLabel('Sender', { exact: true }).inputValue()).toBe(
      'scanner@example.test',
    );
    await expect.poll(() => rows.count()).toBe(2);
    await page.getByLabel('Time range').selectOption('all');
    await page.getByLabel('Sender', { exact: true }).fill('');
  });

  it('lists the audit entries of the journey', async () => {
    await page.getByRole('link', { name: 'Audit' }).click();
    const table = page.getByRole('table', { name: 'Audit entries' });
    await table.locator('tr[data-row]').first().waitFor();
    const text = await table.textContent();
    for (const action of [
      'domain.add',
      'domain.replace_key',
      'trace.import',
      'retraction.dry_run',
      'retraction.create',
      'retraction.restore',
    ]) {
      expect(text).toContain(action);
    }
    await shot('11-audit');
  });

  it('shows the users page to the admin', async () => {
    await page.getByRole('link', { name: 'Users' }).click();
    const table = page.getByRole('table', { name: 'Users' });
    await table.getByRole('rowheader', { name: AUDITOR.name }).waitFor();
    await shot('12-users');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('User name').waitFor();
    // The server ended the session too, not only the page.
    expect((await page.request.get('/api/v1/session')).status()).toBe(401);
  });

  it('gives an auditor no retract or restore button, and the API refuses them', async () => {
    await signIn(AUDITOR);
    await page.getByLabel('Time range').selectOption('all');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.locator('tr[aria-rowindex="2"]').waitFor();
    expect(await page.getByRole('button', { name: /Retract/ }).count()).toBe(0);
    expect(await page.getByRole('checkbox').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Users' }).count()).toBe(0);
    await shot('13-auditor-mail-query');

    await page.goto(retractionUrl);
    await page.getByRole('heading', { name: /^Retraction of/ }).waitFor();
    await page.locator('tr[data-row]').nth(10).waitFor();
    expect(await page.getByRole('button', { name: /Restore/ }).count()).toBe(0);
    await shot('14-auditor-retraction');

    const refused = await page.evaluate(async (messageId) => {
      const session = (await (await fetch('/api/v1/session')).json()) as { csrfToken: string };
      const res = await fetch('/api/v1/retractions', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: JSON.stringify({ messageId, action: 'quarantine' }),
      });
      return { status: res.status, body: await res.text() };
    }, target.messageId);
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('AUTH_FORBIDDEN');
  });

  it('never showed the PreAuth key in a page, an API answer or a log line', async () => {
    await watch.settle();
    expect(watch.answersSeen).toBeGreaterThan(20);
    watch.check('retract serve output', serve.output());
    watch.check('retract.log', readLog());
    expect(watch.leaks).toEqual([]);
  });
});

/** The simulator's mailboxes that hold a copy of the target message. */
function recipientsWithCopies(): string[] {
  return Array.from({ length: MAILBOXES }, (_, i) => mailboxAddress(i, DOMAIN, MAILBOXES)).filter(
    (account) => copiesOf(account).length > 0,
  );
}

/** The simulator's copies of the target message in one mailbox. */
function copiesOf(account: string) {
  const wanted = bare(target.messageId);
  return sim
    .listMessages(account)
    .filter((m) => m.messageId !== null && bare(m.messageId) === wanted);
}

function bare(messageId: string): string {
  return messageId.trim().replace(/^<|>$/g, '').toLowerCase();
}

function readLog(): string {
  try {
    return readFileSync(join(dataDir, 'retract.log'), 'utf8');
  } catch {
    return '';
  }
}
