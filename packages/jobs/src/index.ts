export * from './define.js';
export * from './registry.js';
export * from './handler.js';
export * from './messages.js';
export { QueueSet, redisConnection } from './queues.js';
export { JobService, type EnqueueOptions } from './service.js';
export { GpuPlacement, moveStaleGpuJobs, parseGpuFallback, type MovedJob } from './gpu-fallback.js';
