import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { parseIntegerOption } from '../parse-options.js';

interface SimOptions {
  port: string;
  adminPort: string;
  domain: string;
  mailboxes: string;
  messages: string;
  seed: string;
  mtaLog: string;
  keyFile: string;
  tls?: boolean;
  logSubjects: boolean;
  caFile: string;
}

/**
 * `retract sim`: runs the built-in Zimbra simulator in the foreground on
 * loopback, filled with the SpamAssassin corpus, until Ctrl-C.
 */
export function registerSimCommand(program: Command): void {
  program
    .command('sim')
    .description('run the built-in Zimbra simulator (loopback only) until Ctrl-C')
    .option('--port <n>', 'user SOAP port (0: any free port)', '7070')
    .option('--admin-port <n>', 'admin SOAP port (0: any free port)', '0')
    .option('--domain <name>', 'simulated mail domain', 'example.test')
    .option('--mailboxes <n>', 'mailboxes to create', '200')
    .option('--messages <n>', 'corpus messages to deliver', '1000')
    .option('--seed <n>', 'seed of the recipient draw', '20261204')
    .option('--mta-log <file>', 'MTA log to write deliveries to', 'sim-zimbra.log')
    .option('--key-file <file>', "where to write the domain's PreAuth key", 'sim-preauth.key')
    .option('--tls', 'serve HTTPS with a certificate from a CA the simulator makes')
    .option('--no-log-subjects', 'leave Subject lines (header_checks INFO) out of the MTA log')
    .option('--ca-file <file>', 'where to write that CA certificate (with --tls)', 'sim-ca.pem')
    .action(async (opts: SimOptions) => {
      // Loaded on demand: the simulator is a test and demo tool, and the
      // other commands must not pay for (or depend on) it.
      const { populate, startSimulator } = await import('../../../sim/index.js');
      const mtaLogPath = resolve(opts.mtaLog);
      const sim = await startSimulator({
        port: parseIntegerOption(opts.port, '--port', 0, 65_535),
        adminPort: parseIntegerOption(opts.adminPort, '--admin-port', 0, 65_535),
        mtaLogPath,
        tls: opts.tls === true,
        mtaLogSubjects: opts.logSubjects,
      });
      const { preauthKey } = sim.addDomain(opts.domain);
      const keyFile = resolve(opts.keyFile);
      writeFileSync(keyFile, `${preauthKey}\n`, { mode: 0o600 });
      const filled = await populate(sim, {
        domain: opts.domain,
        mailboxes: parseIntegerOption(opts.mailboxes, '--mailboxes', 1, 100_000),
        messages: parseIntegerOption(opts.messages, '--messages', 0, 1_000_000),
        seed: parseIntegerOption(opts.seed, '--seed', 0, 2 ** 31),
      });
      await sim.flushMtaLog();
      const caFile = resolve(opts.caFile);
      if (sim.caPem) writeFileSync(caFile, sim.caPem);
      const caOption = sim.caPem ? ` --ca-file ${caFile}` : '';

      process.stdout.write(
        [
          `simulated Zimbra for ${opts.domain}: ${filled.delivered} messages, ${filled.copies} copies`,
          `SOAP URL        ${sim.soapUrl}`,
          `admin SOAP URL  ${sim.adminSoapUrl}`,
          `PreAuth key     ${keyFile}`,
          ...(sim.caPem ? [`CA certificate  ${caFile}`] : []),
          `MTA log         ${mtaLogPath}`,
          'next, in another terminal:',
          `  export RETRACT_ALLOW_LOOPBACK_TARGETS=1`,
          `  retract domain add ${opts.domain} --soap-url ${sim.soapUrl} --preauth-key-file ${keyFile}${caOption}`,
          `  retract trace import ${mtaLogPath}`,
          'Ctrl-C stops the simulator.',
          '',
        ].join('\n'),
      );
      await new Promise<void>((done) => {
        process.once('SIGINT', done);
        process.once('SIGTERM', done);
      });
      await sim.close();
    });
}
