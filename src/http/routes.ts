import type { ApiContext, ApiServer } from './api-types.js';
import { registerAuditRoutes } from './audit-route.js';
import { registerDomainTestRoute } from './domain-test-route.js';
import { registerDomainRoutes } from './domains-route.js';
import { registerHealthRoutes } from './health-route.js';
import { registerRetractionRoutes } from './retractions-route.js';
import { registerSessionRoutes } from './session-route.js';
import { registerTokenRoutes } from './tokens-route.js';
import { registerTraceImportRoute } from './trace-import-route.js';
import { registerTraceIngestRoute } from './trace-ingest-route.js';
import { registerTraceRoutes } from './trace-route.js';
import { registerUserRoutes } from './users-route.js';

/** Every route of the API; each module registers one resource. */
export function registerRoutes(
  server: ApiServer,
  ctx: ApiContext,
  options: { secureCookies: boolean },
): void {
  registerHealthRoutes(server, ctx);
  registerSessionRoutes(server, ctx, options);
  registerDomainRoutes(server, ctx);
  registerDomainTestRoute(server, ctx);
  registerRetractionRoutes(server, ctx);
  registerTraceRoutes(server, ctx);
  registerTraceImportRoute(server, ctx);
  registerTraceIngestRoute(server, ctx);
  registerAuditRoutes(server, ctx);
  registerUserRoutes(server, ctx);
  registerTokenRoutes(server, ctx);
}
