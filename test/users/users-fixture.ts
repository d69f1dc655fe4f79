import type { App } from '../../src/app/index.js';
import { DEFAULT_TENANT_ID } from '../../src/store/index.js';
import { createUserServices, type UserServices } from '../../src/users/index.js';
import { createTestApp } from '../helpers/test-app.js';

export const PASSWORD = 'correct horse battery staple';

export interface UsersWorld extends UserServices {
  app: App;
  clock: { nowMs: number };
}

/** The users layer over a fresh store, with a clock the test moves. */
export async function createUsersWorld(dir: string): Promise<UsersWorld> {
  const { app } = await createTestApp(dir);
  const clock = { nowMs: Date.parse('2026-12-04T10:00:00Z') };
  const services = createUserServices({
    store: app.store,
    tenantId: DEFAULT_TENANT_ID,
    audit: app.audit,
    secrets: app.vault,
    now: () => clock.nowMs,
    hashCost: { memoryKiB: 64, passes: 1 },
  });
  return { app, clock, ...services };
}
