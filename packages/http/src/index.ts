export {
  endpointLimiter,
  HttpClient,
  openAiBase,
  retryAfterMs,
  type CheckUrl,
  type HttpClientOptions,
  type RequestOptions,
} from './client.js';
export { HttpError, isHttpError, type HttpErrorKind } from './errors.js';
export { Semaphore } from './semaphore.js';
export { readSseData } from './sse.js';
export { mapLimit } from './map-limit.js';
