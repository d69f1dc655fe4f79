import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { populate, startSimulator, type Simulator } from '../../sim/index.js';
import { createApp, createLogger, loadAppConfig, type App } from '../app/index.js';
import type { RetractionReport } from '../retraction/index.js';
import { importMtaLogs } from '../trace/index.js';
import { ZimbraClient } from '../zimbra/index.js';

export interface DemoOptions {
  dataDir?: string;
  mailboxes: number;
  messages: number;
  seed: number;
  minRecipients: number;
  say: (line: string) => void;
}

export interface DemoResult {
  ok: boolean;
  dataDir: string;
  retractionId: string | null;
  checks: { name: string; ok: boolean; detail: string }[];
}

const DOMAIN = 'example.test';
const ACTOR = 'demo';

/**
 * The whole product in one run, on the embedded default: a simulated Zimbra
 * filled with the SpamAssassin corpus, its MTA log imported into the trace,
 * one widely delivered message retracted to quarantine, checked over SOAP,
 * restored, and checked again. `ok` only if every check held.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'retract-demo-'));
  const say = options.say;
  const checks: DemoResult['checks'] = [];
  const check = (name: string, ok: boolean, detail: string) => {
    checks.push({ name, ok, detail });
    say(`  ${ok ? 'ok  ' : 'FAIL'} ${name}: ${detail}`);
  };

  // The simulator listens on loopback over http, which only this switch allows.
  const env = { ...process.env, RETRACT_ALLOW_LOOPBACK_TARGETS: '1' };
  const config = loadAppConfig(env, { dataDir });
  const logger = createLogger(config.logLevel, config.logPath);
  const mtaLog = join(dataDir, 'zimbra.log');
  // HTTPS with a CA of the simulator's own: the domain trusts it through its
  // per-domain CA, the path a Zimbra with a private CA takes.
  const sim = await startSimulator({ mtaLogPath: mtaLog, mtaLogSubjects: true, tls: true });
  const app = await createApp({ config, logger });

  try {
    say(`data directory ${dataDir}`);
    const key = await setUpZimbra(sim, options, say);
    const keyFile = join(dataDir, `${DOMAIN}.preauth.key`);
    writeFileSync(keyFile, `${key}\n`, { mode: 0o600 });
    const caPem = sim.caPem!;
    writeFileSync(join(dataDir, 'simulator-ca.pem'), caPem);
    await app.domains.add({ name: DOMAIN, soapUrl: sim.soapUrl, preauthKey: key, caPem }, ACTOR);
    say(`domain ${DOMAIN} added (SOAP ${sim.soapUrl}, its own CA, key file ${keyFile})`);

    await sim.flushMtaLog();
    const imported = await importMtaLogs([mtaLog], app.deliveries);
    say(
      `trace: ${imported.lines} log lines, ${imported.delivered} deliveries (${imported.linesPerSecond} lines/s)`,
    );

    const [target] = await app.deliveries.widestMessages(1, options.minRecipients);
    check(
      'a message reached enough mailboxes',
      target !== undefined,
      target
        ? `<${target.messageId}> to ${target.recipients} mailboxes${target.subject ? `: "${target.subject}"` : ''}`
        : `none with ${options.minRecipients}+`,
    );
    if (!target) return { ok: false, dataDir, retractionId: null, checks };

    const client = new ZimbraClient({ soapUrl: sim.soapUrl, preauthKey: key, caPem, logger });
    try {
      const recipients = await app.deliveries.recipientsOf(target.messageId);
      await fileSomeCopies(client, recipients, target.messageId);
      const report = await retract(app, target.messageId, say);
      const c = report.counts;
      check(
        'every mailbox retracted',
        c.retracted === c.mailboxes && c.failed === 0,
        `${c.mailboxes} mailboxes, ${c.retracted} retracted, ${c.not_found} not found, ${c.failed} failed, ${c.copies} copies`,
      );
      check('no copy left outside quarantine', ...(await checkQuarantined(client, report)));

      const restored = await app.retractions.restore(report.id, ACTOR);
      check(
        'restore completed',
        restored.restoreStatus === 'completed',
        `${restored.counts.restored} mailboxes restored`,
      );
      check('every copy back in its folder', ...(await checkRestored(client, restored)));
      return { ok: checks.every((x) => x.ok), dataDir, retractionId: report.id, checks };
    } finally {
      await client.close();
    }
  } finally {
    await app.close();
    await sim.close();
    logger.flush();
  }
}

async function setUpZimbra(sim: Simulator, o: DemoOptions, say: (l: string) => void) {
  const { preauthKey } = sim.addDomain(DOMAIN);
  const started = performance.now();
  const result = await populate(sim, {
    domain: DOMAIN,
    mailboxes: o.mailboxes,
    messages: o.messages,
    seed: o.seed,
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  say(
    `simulated Zimbra: ${o.mailboxes} mailboxes, ${result.delivered} corpus messages delivered (${result.copies} copies) in ${seconds} s`,
  );
  return preauthKey;
}

/**
 * Users file their mail: before the retraction, some recipients have moved
 * their copy into a folder of their own or into Trash, so the receipts and
 * the restore have real original folders to honour.
 */
async function fileSomeCopies(client: ZimbraClient, recipients: string[], messageId: string) {
  for (const [i, account] of recipients.entries()) {
    if (i % 7 !== 3 && i % 11 !== 5) continue;
    const mailbox = await client.openMailbox(account);
    const hits = await mailbox.findMessages(messageId);
    const folder = i % 7 === 3 ? (await mailbox.ensureFolder('Projects')).id : '3';
    await mailbox.moveMessages(
      hits.map((h) => h.id),
      folder,
    );
  }
}

async function retract(app: App, messageId: string, say: (l: string) => void) {
  const started = performance.now();
  const retraction = await app.retractions.create({ messageId, action: 'quarantine' }, ACTOR);
  const report = await app.retractions.run(retraction.id);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const c = report.counts;
  say(
    `retraction ${report.id}: ${c.mailboxes} mailboxes, ${c.retracted} retracted, ${c.not_found} not found, ${c.failed} failed, in ${seconds} s`,
  );
  return report;
}

/** Every copy of every mailbox sits in that mailbox's quarantine folder. */
async function checkQuarantined(client: ZimbraClient, report: RetractionReport) {
  let copies = 0;
  const outside: string[] = [];
  for (const m of report.mailboxes) {
    const mailbox = await client.openMailbox(m.account);
    const quarantine = await mailbox.ensureFolder('Quarantine');
    for (const hit of await mailbox.findMessages(report.messageId)) {
      copies += 1;
      if (hit.folderId !== quarantine.id) outside.push(`${m.account}:${hit.id}@${hit.folderId}`);
    }
  }
  return [
    outside.length === 0,
    `${copies} copies searched, ${outside.length} outside${outside.length ? `: ${outside.slice(0, 3).join(' ')}` : ''}`,
  ] as const;
}

/** Every copy is back in the folder the receipt says it was found in. */
async function checkRestored(client: ZimbraClient, report: RetractionReport) {
  let copies = 0;
  const astray: string[] = [];
  const folders = new Map<string, number>();
  for (const m of report.mailboxes) {
    const mailbox = await client.openMailbox(m.account);
    const now = new Map(
      (await mailbox.findMessages(report.messageId)).map((h) => [h.id, h.folderId]),
    );
    for (const item of m.items) {
      copies += 1;
      folders.set(item.folderBefore, (folders.get(item.folderBefore) ?? 0) + 1);
      if (now.get(item.id) !== item.folderBefore) astray.push(`${m.account}:${item.id}`);
    }
  }
  const where = [...folders].map(([f, n]) => `${n} in folder ${f}`).join(', ');
  return [
    astray.length === 0,
    `${copies} copies checked (${where}), ${astray.length} astray`,
  ] as const;
}
