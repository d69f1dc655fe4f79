export { DEFAULTS } from './defaults.js';
export type { Defaults } from './defaults.js';
