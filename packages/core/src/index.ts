export { DomainError, type ErrorCode, isDomainError } from './errors.js';
export { sharedDataDir } from './shared-data.js';
