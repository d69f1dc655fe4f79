/**
 * Wiring: reads configuration at an entry point and builds the services.
 * The CLI and the HTTP server start here; nothing below imports it.
 */
export { createApp } from './create-app.js';
export type { App, CreateAppOptions } from './create-app.js';
export { loadAppConfig } from './app-config.js';
export type { AppConfig } from './app-config.js';
export { createLogger, REDACT_PATHS } from './logger.js';
export { ZimbraCallFeed } from './zimbra-call-feed.js';
