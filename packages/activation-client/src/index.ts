export {
  ACTIVATION_PATHS,
  type ActivationClient,
  type ActivationClientOptions,
  createActivationClient,
} from './client.js';
export { type ClientFailure, type ClientResult, failureFromThrown } from './failure.js';
export * from './schemas.js';
export { isLoopbackUrl, maySendCredentials } from './transport.js';
