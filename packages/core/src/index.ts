export { DomainError, EngineError, type ErrorCode, isDomainError, isEngineError } from './errors.js';
export { sharedDataDir } from './shared-data.js';
