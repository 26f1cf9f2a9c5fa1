export * from './define.js';
export * from './registry.js';
export * from './handler.js';
export * from './messages.js';
export { QueueSet, redisConnection } from './queues.js';
export { JobService, addJobToQueue, type EnqueueOptions } from './service.js';
export {
  reconcileJobs,
  startReconciler,
  isInfrastructureFailure,
  type ReconcileOptions,
  type ReconcileReport,
  type Reconciler,
} from './reconcile.js';
export {
  withDbRetry,
  isDatabaseUnavailable,
  DatabaseUnavailableError,
  type DbRetryOptions,
} from './db-retry.js';
export { GpuPlacement, moveStaleGpuJobs, parseGpuFallback, type MovedJob } from './gpu-fallback.js';
export { preflight, checkDatabase, checkRedis, PreflightError, type RedisCheck } from './preflight.js';
