import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
// Layer prefixes of error codes (STYLE: SCREAMING_SNAKE with a layer prefix).
// Environment variable names (RETRACT_...) are not error codes.
const CODE = /['"`]((?:ZIMBRA|DOMAIN|STORE|RETRACTION|TRACE|CLI|CONFIG|INTERNAL|HTTP|USER|AUTH|SESSION|TOKEN|QUEUE|AUDIT|INPUT)_[A-Z0-9_]+)['"`]/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function codesRaisedIn(dir: string): Set<string> {
  const codes = new Set<string>();
  for (const file of sourceFiles(dir)) {
    for (const match of readFileSync(file, 'utf8').matchAll(CODE)) codes.add(match[1]!);
  }
  return codes;
}

describe('docs/errors.md', () => {
  it('documents every error code the product raises', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'errors.md'), 'utf8');
    const documented = new Set([...doc.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!));
    const raised = codesRaisedIn(join(ROOT, 'src'));

    expect(raised.size).toBeGreaterThan(50);
    expect([...raised].filter((code) => !documented.has(code)).sort()).toEqual([]);
  });
});
