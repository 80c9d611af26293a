// The public API of @slm/kms-protocol: frames, messages and response signatures (see PROTOCOL.md).
export {
  type Decoded,
  decodeError,
  decodeRequest,
  decodeResponse,
  encodeError,
  encodeRequest,
  encodeResponse,
  type ResponseSigner,
  responseSigner,
  SIGNATURE_BYTES,
  type SignedResponse,
  verifyResponse,
} from './codec.js';
export {
  encodeFrame,
  encodeTextFrame,
  FRAME_TYPES,
  type Frame,
  FrameError,
  type FrameProblem,
  FrameReader,
  type FrameType,
  frameHeader,
  HEADER_BYTES,
  MAGIC,
  MAX_BODY_BYTES,
  PROTOCOL_VERSION,
  parseHeader,
} from './frame.js';
export {
  ERROR_PROBLEMS,
  type ErrorProblem,
  errorSchema,
  type KmsError,
  type KmsRequest,
  type KmsResponse,
  REFUSAL_REASONS,
  type RefusalReason,
  requestSchema,
  responseSchema,
} from './messages.js';

/** The port a volume host listens on unless told otherwise. */
export const DEFAULT_KMS_PORT = 1688;
/** The most a client's clock may differ from the host's before the host refuses it. */
export const MAX_CLOCK_SKEW_MS = 4 * 3_600_000;
/** The DNS service label hosts publish and clients look up: `_vlmcs._tcp.<domain>`. */
export const SRV_SERVICE = '_vlmcs._tcp';
