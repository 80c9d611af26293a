// Writes vectors/v1.json from fixed throwaway keys. Ed25519 is deterministic, so running it
// again gives the same bytes; the vector test fails if the codec ever drifts from them.
import { readFileSync, writeFileSync } from 'node:fs';
import { issueHostCertificate, issueVolumeGrant, publicKeyOf } from '@slm/core';
import { encodeError, encodeRequest, encodeResponse, responseSigner } from '../dist/index.js';

const path = new URL('../vectors/v1.json', import.meta.url);
const previous = JSON.parse(readFileSync(path, 'utf8'));
const { vendorPrivateKeyPem, hostPrivateKeyPem } = previous.keys;
const hostPublicKey = publicKeyOf(hostPrivateKeyPem);
const activationId = '5f0c1a2e-0000-4000-8000-00000000a002';
const clientMachineId = '0f8fad5b-d9cb-469f-a165-70867728950e';
const nonce = 'AAECAwQFBgcICQoLDA0ODw';
const hostTime = Date.UTC(2026, 0, 2, 9, 30);

const request = {
  activationId,
  clientMachineId,
  workstation: '00112233445566778899aabbccddeeff',
  licenceState: 2,
  requiredCount: 25,
  clientTime: hostTime - 1500,
  nonce,
};
const hostCertificate = issueHostCertificate(
  {
    hostId: 'vector-host',
    hostPublicKey,
    activationIds: [activationId],
    hostKeyPartial: 'VCT01',
    issuedAt: Date.UTC(2026, 0, 1),
    expiresAt: null,
  },
  vendorPrivateKeyPem,
);
const validUntil = hostTime + 180 * 86_400_000;
const grant = issueVolumeGrant(
  {
    activationId,
    clientMachineId,
    hostId: 'vector-host',
    extendedProductId: 'vector-host:VCT01',
    issuedAt: hostTime,
    expiresAt: validUntil,
    activationIntervalMinutes: 120,
    renewalIntervalMinutes: 10_080,
    count: 25,
    nonce,
  },
  hostPrivateKeyPem,
);
const response = {
  outcome: 'activated',
  reason: null,
  activationId,
  clientMachineId,
  nonce,
  count: 25,
  threshold: 25,
  activationIntervalMinutes: 120,
  renewalIntervalMinutes: 10_080,
  extendedProductId: 'vector-host:VCT01',
  validUntil,
  hostTime,
  duplicate: false,
  hostCertificate,
  grant,
};
// The same request answered before the threshold: a signed response frame.
const belowThreshold = {
  ...response,
  outcome: 'below_threshold',
  count: 24,
  validUntil: null,
  grant: null,
};
const hex = (buffer) => buffer.toString('hex');
const vectors = {
  about: previous.about,
  keys: { ...previous.keys, vendorPublicKey: publicKeyOf(vendorPrivateKeyPem), hostPublicKey },
  request: { message: request, frame: hex(encodeRequest(request)) },
  response: {
    message: response,
    frame: hex(encodeResponse(response, responseSigner(hostPrivateKeyPem))),
  },
  belowThreshold: {
    message: belowThreshold,
    frame: hex(encodeResponse(belowThreshold, responseSigner(hostPrivateKeyPem))),
  },
  error: { message: { problem: 'too_large', message: 'a body of 70000 bytes exceeds 16384' } },
  bad: previous.bad,
};
vectors.error.frame = hex(
  encodeError(vectors.error.message.problem, vectors.error.message.message),
);
writeFileSync(path, `${JSON.stringify(vectors, null, 2)}\n`);
