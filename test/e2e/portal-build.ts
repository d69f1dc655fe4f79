import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const WEB = fileURLToPath(new URL('../../web/', import.meta.url));
export const WEB_DIST = join(WEB, 'dist');

/** Builds web/dist when it is missing or older than any source of the portal. */
export async function ensurePortalBuilt(): Promise<void> {
  const index = join(WEB_DIST, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestSourceMs()) return;
  await build({ configFile: join(WEB, 'vite.config.ts'), logLevel: 'warn' });
}

function newestSourceMs(): number {
  const files = [join(WEB, 'index.html'), join(WEB, 'vite.config.ts'), ...walk(join(WEB, 'src'))];
  return Math.max(...files.map((f) => statSync(f).mtimeMs));
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : [path];
  });
}
