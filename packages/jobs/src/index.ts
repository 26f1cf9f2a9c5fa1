export * from './define.js';
export * from './registry.js';
export * from './handler.js';
export * from './messages.js';
export { QueueSet, redisConnection } from './queues.js';
export {
  JobService,
  MAX_BULK,
  addJobToQueue,
  jobQueueOptions,
  checkPayload,
  type EnqueueItem,
  type EnqueueOptions,
  type JobServiceOptions,
} from './service.js';
export { GpuPlacement, moveStaleGpuJobs, parseGpuFallback, type MovedJob } from './gpu-fallback.js';
export * from './events.js';
export { canRetry, jobFailureOf, jobFailureError, type JobFailure } from './errors.js';
export { readerHistoryKeys, servingInvalidationChannel } from './definitions/recommender.js';
export {
  MAX_RETENTION_DAYS,
  RETENTION_SETTING,
  retentionPolicyOf,
  retentionSchedulerId,
  type RetentionPolicy,
} from './definitions/platform.js';
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
export { preflight, checkDatabase, checkRedis, PreflightError, type RedisCheck } from './preflight.js';
