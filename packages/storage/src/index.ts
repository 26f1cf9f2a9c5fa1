export { LocalStorage } from './local.js';
export type { Storage } from './storage.js';
