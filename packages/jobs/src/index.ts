export * from './define.js';
export * from './registry.js';
export * from './handler.js';
export * from './messages.js';
export { QueueSet, redisConnection } from './queues.js';
export {
  JobService,
  MAX_BULK,
  checkPayload,
  type EnqueueItem,
  type EnqueueOptions,
  type JobServiceOptions,
} from './service.js';
export { GpuPlacement, moveStaleGpuJobs, parseGpuFallback, type MovedJob } from './gpu-fallback.js';
export * from './events.js';
export { jobFailureOf, jobFailureError, type JobFailure } from './errors.js';
