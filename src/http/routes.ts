import type { ApiContext, ApiServer } from './api-types.js';
import { registerDomainRoutes } from './domains-route.js';
import { registerHealthRoutes } from './health-route.js';
import { registerRetractionRoutes } from './retractions-route.js';
import { registerSessionRoutes } from './session-route.js';

/** Every route of the API; each module registers one resource. */
export function registerRoutes(
  server: ApiServer,
  ctx: ApiContext,
  options: { secureCookies: boolean },
): void {
  registerHealthRoutes(server, ctx);
  registerSessionRoutes(server, ctx, options);
  registerDomainRoutes(server, ctx);
  registerRetractionRoutes(server, ctx);
}
