export { startWorker, type WorkerRuntime } from './runtime.js';
export { allHandlers, indexHandlers } from './handlers.js';
export { deliverWebhook, signWebhook } from './lib/webhooks.js';
