import type { Command } from 'commander';
import {
  testDomainConnection,
  type ConnectionTestReport,
  type DomainView,
} from '../../domains/index.js';
import { cliActor, withApp, type GlobalOptions } from '../cli-context.js';
import { confirm } from '../confirm.js';
import { table } from '../output.js';
import { parseIntegerOption, readOptionFile } from '../parse-options.js';

/** `domain test` found a problem (exit code 1, "failed"). */
const EXIT_TEST_FAILED = 1;

interface SetOptions {
  requestsPerSecond?: string;
  soapUrl?: string;
  caFile?: string;
  systemCas?: boolean;
  maxConcurrency?: string;
}

interface AddOptions extends GlobalOptions {
  requestsPerSecond?: string;
  soapUrl: string;
  preauthKeyFile: string;
  caFile?: string;
  maxConcurrency?: string;
}

/** `retract domain add|list|set-key|remove`. */
export function registerDomainCommands(program: Command, globals: () => GlobalOptions): void {
  const domain = program.command('domain').description('Zimbra domains Retract can reach');

  domain
    .command('add <domain>')
    .description('add a Zimbra domain with its SOAP URL and PreAuth key')
    .requiredOption(
      '--soap-url <url>',
      'https://mail.example.com/service/soap/ (or the :7071 admin form)',
    )
    .requiredOption(
      '--preauth-key-file <file>',
      'file holding the key from zmprov generateDomainPreAuthKey',
    )
    .option('--ca-file <pem>', "PEM of the CA that signed the server's certificate, if private")
    .option('--max-concurrency <n>', 'mailboxes worked on at once for this domain')
    .option(
      '--requests-per-second <n>',
      'pace toward the Zimbra host: a number, "unlimited" once Retract is in zimbraHttpThrottleSafeIPs, or "default"',
    )
    .action(async (name: string, opts: AddOptions) => {
      await withApp(globals(), async ({ app, out }) => {
        const view = await app.domains.add(
          {
            name,
            soapUrl: opts.soapUrl,
            preauthKey: readOptionFile(opts.preauthKeyFile, '--preauth-key-file'),
            caPem: opts.caFile ? readOptionFile(opts.caFile, '--ca-file') : null,
            ...pacingOptions(opts),
          },
          cliActor(),
        );
        out.result(view, () => [`added ${view.name}`, ...describe(view)]);
      });
    });

  domain
    .command('list')
    .description('list the configured domains (keys are never shown)')
    .action(async () => {
      await withApp(globals(), async ({ app, out }) => {
        const views = await app.domains.list();
        out.result(views, () =>
          views.length === 0
            ? ['no domains yet: add one with "retract domain add"']
            : table(
                ['DOMAIN', 'SOAP URL', 'KEY', 'KEY SET', 'CA'],
                views.map((v) => [
                  v.name,
                  v.soapUrl,
                  v.keyFingerprint,
                  new Date(v.keySetAtMs).toISOString(),
                  v.caSubjects.length > 0 ? 'own CA' : 'system',
                ]),
              ),
        );
      });
    });

  domain
    .command('set <domain>')
    .description('change the SOAP URL, CA certificates or concurrency of a domain (not its key)')
    .option('--soap-url <url>', 'the new SOAP URL')
    .option('--ca-file <pem>', "PEM of the CA that signed the server's certificate")
    .option('--system-cas', 'trust the system CAs only, dropping the domain CA file')
    .option('--max-concurrency <n>', 'mailboxes worked on at once for this domain')
    .option(
      '--requests-per-second <n>',
      'pace toward the Zimbra host: a number, "unlimited" once Retract is in zimbraHttpThrottleSafeIPs, or "default"',
    )
    .action(async (name: string, opts: SetOptions) => {
      await withApp(globals(), async ({ app, out }) => {
        const caPem = opts.systemCas
          ? null
          : opts.caFile
            ? readOptionFile(opts.caFile, '--ca-file')
            : undefined;
        const view = await app.domains.update(
          name,
          {
            ...(opts.soapUrl !== undefined ? { soapUrl: opts.soapUrl } : {}),
            ...(caPem !== undefined ? { caPem } : {}),
            ...pacingOptions(opts),
          },
          cliActor(),
        );
        out.result(view, () => [`changed ${view.name}`, ...describe(view)]);
      });
    });

  domain
    .command('set-key <domain>')
    .description('replace the PreAuth key after zmprov generateDomainPreAuthKey ran again')
    .requiredOption('--preauth-key-file <file>', 'file holding the new key')
    .action(async (name: string, opts: { preauthKeyFile: string }) => {
      await withApp(globals(), async ({ app, out }) => {
        const key = readOptionFile(opts.preauthKeyFile, '--preauth-key-file');
        const view = await app.domains.replaceKey(name, key, cliActor());
        out.result(view, () => [`replaced the key of ${view.name}`, ...describe(view)]);
      });
    });

  domain
    .command('test <domain>')
    .description('check DNS, TLS, the clock, the SOAP URL and one PreAuth login')
    .requiredOption('--account <address>', 'a mailbox of the domain to log in to, once')
    .action(async (name: string, opts: { account: string }) => {
      await withApp(globals(), async ({ app, config, out }) => {
        const report = await testDomainConnection(app.domains, name, {
          account: opts.account,
          allowLoopback: config.allowLoopbackTargets,
        });
        out.result(report, () => describeTest(report));
        if (!report.ok) process.exitCode = EXIT_TEST_FAILED;
      });
    });

  domain
    .command('remove <domain>')
    .description('forget a domain and its key; past retractions stay')
    .option('--yes', 'do not ask for confirmation')
    .action(async (name: string, opts: { yes?: boolean }) => {
      await withApp(globals(), async ({ app, out }) => {
        await app.domains.get(name);
        await confirm(`Remove ${name} and its PreAuth key?`, opts.yes === true);
        await app.domains.remove(name, cliActor());
        out.result({ removed: name }, () => [`removed ${name}`]);
      });
    });
}

/** --max-concurrency and --requests-per-second, as add and set both take them. */
function pacingOptions(opts: { maxConcurrency?: string; requestsPerSecond?: string }) {
  return {
    ...(opts.maxConcurrency
      ? { maxConcurrency: parseIntegerOption(opts.maxConcurrency, '--max-concurrency', 1, 64) }
      : {}),
    ...(opts.requestsPerSecond ? { requestsPerSecond: rateOption(opts.requestsPerSecond) } : {}),
  };
}

function rateOption(value: string): number | 'unlimited' | null {
  if (value === 'default') return null;
  if (value === 'unlimited') return value;
  return parseIntegerOption(value, '--requests-per-second', 1, 1000);
}

function describe(v: DomainView): string[] {
  return [
    `  SOAP URL        ${v.soapUrl} (${v.soapUrlKind} endpoint)`,
    `  PreAuth key     set on ${new Date(v.keySetAtMs).toISOString()}, fingerprint ${v.keyFingerprint}`,
    `  trusted CAs     ${v.caSubjects.length > 0 ? v.caSubjects.join('; ') : 'system CAs'}`,
    `  pace            ${v.requestsPerSecond === null ? 'default (10 requests a second)' : v.requestsPerSecond === 'unlimited' ? 'no cap (Retract is on the safe list)' : `${v.requestsPerSecond} requests a second`}`,
    `  concurrency     ${v.maxConcurrency} mailbox${v.maxConcurrency === 1 ? '' : 'es'} at once`,
  ];
}

function describeTest(r: ConnectionTestReport): string[] {
  const lines = [`connection test of ${r.domain} (${r.soapUrl})`];
  for (const c of r.checks) {
    lines.push(`  ${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(8)}  ${c.summary}`);
    if (c.advice !== undefined) lines.push(`                  → ${c.advice}`);
  }
  const skew = r.clockSkewMs === null ? 'unknown' : `${Math.round(r.clockSkewMs / 1000)} s`;
  return [
    ...lines,
    `  PreAuth accepted at   ${r.soapUrlAnswered ?? 'no URL'}`,
    `  egress address        ${r.egressAddress ?? 'unknown'} (for the firewall and zimbraHttpThrottleSafeIPs)`,
    `  round trip            ${r.rttMs === null ? 'unknown' : `${r.rttMs} ms`}; server clock minus ours ${skew}`,
    `  note: ${r.warning}`,
  ];
}
