import { describe, expect, it } from 'vitest';
import { RetractError } from '../../src/errors/index.js';
import { DomainGate, type LoginFailureKind } from '../../src/retraction/domain-gate.js';

function failure(kind: LoginFailureKind): RetractError {
  return new RetractError(`TEST_${kind.toUpperCase()}`, kind, { failureClass: 'config' });
}

function gate(budget = 2, directory?: Record<string, 'account' | 'list' | 'unknown'>) {
  const g = new DomainGate({
    domain: 'example.test',
    failureLimit: 3,
    failureBudget: budget,
    classify: (e) => (e as RetractError).message as LoginFailureKind,
  });
  if (directory) g.useDirectory(async (a) => directory[a] ?? 'unknown');
  return g;
}

const ok = async () => 'session';
const fail = (kind: LoginFailureKind) => async () => {
  throw failure(kind);
};

describe('DomainGate', () => {
  it('stops a domain after three failed logins with none that worked', async () => {
    const g = gate();
    const attempts: string[] = [];
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        g.login(`u${i}@example.test`, async () => {
          attempts.push(`u${i}`);
          throw failure('auth');
        }),
      ),
    );

    expect(attempts).toEqual(['u0', 'u1', 'u2']);
    const codes = results.map((r) =>
      r.status === 'rejected' ? (r.reason as RetractError).code : 'ok',
    );
    expect(codes.filter((c) => c === 'RETRACTION_DOMAIN_LOGINS_STOPPED')).toHaveLength(7);
  });

  it('stops at once on a set-up problem or a suspension', async () => {
    const broken = gate();
    await expect(broken.login('a@example.test', fail('broken'))).rejects.toThrow('broken');
    await expect(broken.login('b@example.test', ok)).rejects.toMatchObject({
      code: 'RETRACTION_DOMAIN_MISCONFIGURED',
    });

    const suspended = gate();
    await suspended.login('a@example.test', ok);
    await expect(suspended.login('b@example.test', fail('suspended'))).rejects.toThrow();
    await expect(suspended.login('c@example.test', ok)).rejects.toMatchObject({
      code: 'RETRACTION_DOMAIN_SUSPENDED',
    });
  });

  it('stops after three unreachable answers', async () => {
    const g = gate();
    for (const a of ['a', 'b', 'c'])
      await expect(g.login(a, fail('unreachable'))).rejects.toThrow();
    await expect(g.login('d', ok)).rejects.toMatchObject({ code: 'RETRACTION_DOMAIN_UNREACHABLE' });
  });

  it('checks addresses in the directory once the failure budget is spent, costing no login', async () => {
    const g = gate(2, { 'real@example.test': 'account', 'team@example.test': 'list' });
    await g.login('first@example.test', ok);
    for (const a of ['x', 'y']) await expect(g.login(a, fail('auth'))).rejects.toThrow();

    let logins = 0;
    const counted = async () => {
      logins += 1;
      return 'session';
    };
    await expect(g.login('ghost@example.test', counted)).rejects.toMatchObject({
      code: 'RETRACTION_NO_SUCH_MAILBOX',
      failureClass: 'mailbox',
    });
    await expect(g.login('team@example.test', counted)).rejects.toMatchObject({
      code: 'RETRACTION_RECIPIENT_IS_LIST',
    });
    await expect(g.login('real@example.test', counted)).resolves.toBe('session');
    expect(logins).toBe(1);
  });

  it('stops trying once the budget is spent and no directory can be searched', async () => {
    const g = gate(1);
    await g.login('first@example.test', ok);
    await expect(g.login('x', fail('auth'))).rejects.toThrow();
    await expect(g.login('y', ok)).rejects.toMatchObject({ code: 'RETRACTION_LOGIN_BUDGET_SPENT' });
  });
});
