import { createPrivateKey, sign } from 'node:crypto';
import { verifyBytes } from '@slm/core';
import type { z } from 'zod';
import { encodeTextFrame, type Frame, FrameError, frameHeader, MAX_BODY_BYTES } from './frame.js';
import {
  type ErrorProblem,
  errorSchema,
  type KmsError,
  type KmsRequest,
  type KmsResponse,
  requestSchema,
  responseSchema,
} from './messages.js';

/** Signatures are Ed25519: 64 bytes, after the response JSON. */
export const SIGNATURE_BYTES = 64;
// Signing a context string with the bytes keeps a response signature from passing as anything else.
const RESPONSE_CONTEXT = Buffer.from('slm-kms/1 response\0', 'ascii');

/** A decode that failed: the problem to report and a short message naming the field. */
export type Decoded<T> =
  | { ok: true; value: T }
  | { ok: false; problem: ErrorProblem; message: string };

/** Signs response bytes with the host's private key. */
export type ResponseSigner = (bytes: Uint8Array) => Uint8Array;

/** A signer over a host private key in PEM form; the key is parsed once. */
export function responseSigner(hostPrivateKeyPem: string): ResponseSigner {
  const key = createPrivateKey(hostPrivateKeyPem);
  return (bytes) => new Uint8Array(sign(null, bytes, key));
}

/** The frame of a request. */
export function encodeRequest(request: KmsRequest): Buffer {
  return encodeTextFrame('request', JSON.stringify(request));
}

/** Reads a request frame's body. */
export function decodeRequest(frame: Frame): Decoded<KmsRequest> {
  if (frame.type !== 'request') return malformed(`expected a request frame, got ${frame.type}`);
  return parseJson(frame.body, requestSchema);
}

/**
 * The frame of an answer. An answer that activates is an `activation` frame, its JSON alone:
 * the volume grant inside it is signed by the host key and holds every field the client acts
 * on, so a second signature over the same facts would add nothing. Any other answer is a
 * `response` frame: header, JSON, then the host's signature over both.
 */
export function encodeResponse(response: KmsResponse, signer: ResponseSigner): Buffer {
  const text = JSON.stringify(response);
  if (response.outcome === 'activated') return encodeTextFrame('activation', text);
  const json = Buffer.from(text);
  const header = frameHeader('response', json.length + SIGNATURE_BYTES);
  if (json.length + SIGNATURE_BYTES > MAX_BODY_BYTES) {
    throw new FrameError('too_large', 'the response does not fit in one frame');
  }
  const signature = signer(Buffer.concat([RESPONSE_CONTEXT, header, json]));
  return Buffer.concat([header, json, signature]);
}

/**
 * An answer as received. A `response` frame carries what its signature covers; an `activation`
 * frame carries none (`signed` and `signature` are null): its grant is what the client checks.
 */
export interface SignedResponse {
  readonly response: KmsResponse;
  readonly signed: Uint8Array | null;
  readonly signature: Uint8Array | null;
}

/** Reads an answer frame; the signature is checked separately, once the host key is known. */
export function decodeResponse(frame: Frame): Decoded<SignedResponse> {
  if (frame.type === 'activation') return decodeActivation(frame);
  if (frame.type !== 'response') return malformed(`expected a response frame, got ${frame.type}`);
  if (frame.body.length <= SIGNATURE_BYTES) return malformed('the response has no signature');
  const split = frame.body.length - SIGNATURE_BYTES;
  const parsed = parseJson(frame.body.subarray(0, split), responseSchema);
  if (!parsed.ok) return parsed;
  if (parsed.value.outcome === 'activated') {
    return malformed('an answer that activates comes in an activation frame');
  }
  const signed = Buffer.concat([RESPONSE_CONTEXT, frame.header, frame.body.subarray(0, split)]);
  const signature = new Uint8Array(frame.body.subarray(split));
  return { ok: true, value: { response: parsed.value, signed, signature } };
}

function decodeActivation(frame: Frame): Decoded<SignedResponse> {
  const parsed = parseJson(frame.body, responseSchema);
  if (!parsed.ok) return parsed;
  if (parsed.value.outcome !== 'activated' || parsed.value.grant === null) {
    return malformed('an activation frame must carry an activating answer with its grant');
  }
  return { ok: true, value: { response: parsed.value, signed: null, signature: null } };
}

/**
 * Whether a `response` frame was signed by this host public key (base64url raw Ed25519); false
 * for an `activation` frame, whose grant is verified instead.
 */
export function verifyResponse(signed: SignedResponse, hostPublicKey: string): boolean {
  if (signed.signed === null || signed.signature === null) return false;
  return verifyBytes(signed.signed, signed.signature, hostPublicKey);
}

/** The frame that tells a peer why its connection is being closed. */
export function encodeError(problem: ErrorProblem, message: string): Buffer {
  return encodeTextFrame('error', JSON.stringify({ problem, message }));
}

/** Reads an error frame's body. */
export function decodeError(frame: Frame): Decoded<KmsError> {
  if (frame.type !== 'error') return malformed(`expected an error frame, got ${frame.type}`);
  return parseJson(frame.body, errorSchema);
}

function parseJson<S extends z.ZodType>(bytes: Buffer, schema: S): Decoded<z.output<S>> {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return malformed('the body is not JSON');
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'body';
  return malformed(`${where}: ${issue?.message ?? 'invalid'}`);
}

function malformed(message: string): { ok: false; problem: ErrorProblem; message: string } {
  return { ok: false, problem: 'malformed', message };
}
