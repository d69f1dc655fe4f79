import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throw-away CA and three leaf certificates for 127.0.0.1, made with the openssl CLI. */
export interface TestCerts {
  caPem: string;
  keyPem: string;
  /** Valid, for IP 127.0.0.1. */
  goodPem: string;
  /** Valid, but only for DNS mail.other.example. */
  otherHostPem: string;
  /** For 127.0.0.1, expired in 2020. */
  expiredPem: string;
}

export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function makeTestCerts(): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), 'retract-tls-'));
  const at = (name: string) => join(dir, name);
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  try {
    run(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '3650',
      '-subj',
      '/CN=Retract Test CA',
    );
    run(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'leaf.key',
      '-out',
      'leaf.csr',
      '-subj',
      '/CN=retract-test-leaf',
    );
    writeFileSync(at('ip.ext'), 'subjectAltName=IP:127.0.0.1\n');
    writeFileSync(at('other.ext'), 'subjectAltName=DNS:mail.other.example\n');
    const sign = (ext: string, out: string) =>
      run(
        'x509',
        '-req',
        '-in',
        'leaf.csr',
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-days',
        '3650',
        '-extfile',
        ext,
        '-out',
        out,
      );
    sign('ip.ext', 'good.pem');
    sign('other.ext', 'other.pem');
    signExpired(dir, run);
    return {
      caPem: readFileSync(at('ca.pem'), 'utf8'),
      keyPem: readFileSync(at('leaf.key'), 'utf8'),
      goodPem: readFileSync(at('good.pem'), 'utf8'),
      otherHostPem: readFileSync(at('other.pem'), 'utf8'),
      expiredPem: readFileSync(at('expired.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// `openssl x509` cannot back-date; `openssl ca` takes explicit start and end dates.
function signExpired(dir: string, run: (...args: string[]) => Buffer): void {
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  writeFileSync(
    join(dir, 'ca.cnf'),
    [
      '[ca]',
      'default_ca = test',
      '[test]',
      `dir = ${dir}`,
      'database = $dir/index.txt',
      'serial = $dir/serial',
      'new_certs_dir = $dir',
      'default_md = sha256',
      'policy = any',
      'copy_extensions = none',
      '[any]',
      'commonName = supplied',
      '[leaf]',
      'subjectAltName = IP:127.0.0.1',
    ].join('\n'),
  );
  run(
    'ca',
    '-batch',
    '-config',
    'ca.cnf',
    '-extensions',
    'leaf',
    '-cert',
    'ca.pem',
    '-keyfile',
    'ca.key',
    '-in',
    'leaf.csr',
    '-out',
    'expired.pem',
    '-startdate',
    '20200101000000Z',
    '-enddate',
    '20200102000000Z',
    '-notext',
  );
}
