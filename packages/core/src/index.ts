export {
  DomainError,
  EngineError,
  type ErrorCode,
  isDomainError,
  isEngineError,
  isRetryableStatus,
  isTransientFailure,
} from './errors.js';
export {
  lastLines,
  runProcess,
  type ProcessFailureKind,
  type RunOptions,
  type RunResult,
} from './process.js';
export { sharedDataDir } from './shared-data.js';
export {
  checkOutboundUrl,
  disallowedAddress,
  outboundPolicy,
  outboundPolicyFromEnv,
  outboundRequest,
  OutboundRefused,
  setOutboundPolicy,
  type OutboundPolicy,
  type OutboundResponse,
} from './net/outbound.js';
