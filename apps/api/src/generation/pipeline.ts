// The generation pipeline the worker runs for jobs, run here inline for short texts with the local engines.
export * from '@media-ai/content-platform';
