// The benchmark's baseline: a bare node:http server that parses the same JSON request and signs
// a grant of the same size with Ed25519, with no validation, database or framework.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { generateSigningKey, issueMachineGrant } from '@slm/core';

const { privateKeyPem } = generateSigningKey();

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString());
    const now = Date.now();
    const grant = issueMachineGrant(
      {
        type: 'online',
        grantId: randomUUID(),
        activationId: body.activationId,
        key: { channel: 'retail', skuCode: 101, serial: 1, partial: body.key.slice(-5) },
        fingerprint: body.fingerprint,
        issuedAt: now,
        expiresAt: null,
        extendedProductId: '00101-RTL-0000000001-20260101',
      },
      privateKeyPem,
    );
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ activated: true, grant }));
  });
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(
    `${JSON.stringify({ msg: 'listening', url: `http://127.0.0.1:${server.address().port}` })}\n`,
  );
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
