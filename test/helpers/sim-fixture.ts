import { startSimulator, type Simulator } from '../../sim/index.js';
import type { App } from '../../src/app/index.js';

export const DOMAIN = 'example.test';

/** A small phishing message, as an MTA would hand it over. */
export function phishMessage(messageId: string, subject = 'Urgent: confirm your payroll'): string {
  return [
    'Return-Path: <payroll@evil.example>',
    'From: "Payroll" <payroll@evil.example>',
    `To: staff@${DOMAIN}`,
    `Subject: ${subject}`,
    'Date: Fri, 04 Dec 2026 09:00:00 +0000',
    `Message-ID: <${messageId}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Please sign in at the link below to keep your salary flowing.',
    '',
  ].join('\r\n');
}

export interface SimWorld {
  sim: Simulator;
  key: string;
  accounts: string[];
}

/** A simulator with one domain and `n` accounts, and that domain added to the app. */
export async function createSimWorld(app: App, n: number): Promise<SimWorld> {
  const sim = await startSimulator();
  const { preauthKey } = sim.addDomain(DOMAIN);
  const accounts = Array.from({ length: n }, (_, i) => `user${i + 1}@${DOMAIN}`);
  for (const account of accounts) sim.addAccount(account);
  await app.domains.add({ name: DOMAIN, soapUrl: sim.soapUrl, preauthKey }, 'tester');
  return { sim, key: preauthKey, accounts };
}

/** Where each copy of the message is, per account: `{account: [folderId, ...]}`. */
export function foldersOf(sim: Simulator, accounts: string[], messageId: string) {
  return Object.fromEntries(
    accounts.map((a) => [
      a,
      sim
        .listMessages(a)
        .filter((m) => m.messageId === messageId)
        .map((m) => m.folderId)
        .sort(),
    ]),
  );
}
