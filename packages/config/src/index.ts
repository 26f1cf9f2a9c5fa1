export { repoRoot } from './config.js';
export { loadConfig, ConfigError, parseWorkerQueues, type Config, type QueueConcurrency } from './config.js';
