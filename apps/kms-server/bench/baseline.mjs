// The baseline: a bare node:net server that reads one SLMK-sized frame and answers a frame of
// the given size signed with Ed25519 — the least any volume host must do per request.
import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer } from 'node:net';

const responseBytes = Number(process.argv[2] ?? 2048);
const { privateKey } = generateKeyPairSync('ed25519');

const server = createServer({ noDelay: true }, (socket) => {
  let buffered = Buffer.alloc(0);
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    if (buffered.length < 12 || buffered.length < 12 + buffered.readUInt32BE(8)) return;
    const body = Buffer.alloc(responseBytes - 12 - 64, 0x20);
    buffered.copy(body, 0, 12, Math.min(buffered.length, body.length));
    const header = Buffer.from(buffered.subarray(0, 12));
    header[5] = 2;
    header.writeUInt32BE(body.length + 64, 8);
    socket.end(
      Buffer.concat([header, body, sign(null, Buffer.concat([header, body]), privateKey)]),
    );
    buffered = Buffer.alloc(0);
  });
});
server.listen({ host: '127.0.0.1', port: 0, backlog: 1024 }, () => {
  process.stdout.write(`${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
