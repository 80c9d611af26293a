import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { sendUpdate } from './update.js';

const sockets: Socket[] = [];

async function bound(): Promise<Socket> {
  const socket = createSocket('udp4');
  sockets.push(socket);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return socket;
}

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

describe('sending an update', () => {
  it('when another port answers first then that answer is ignored and the server’s is taken', async () => {
    const server = await bound();
    const forger = await bound();
    server.on('message', (_message, from) => {
      forger.send(Buffer.from('forged'), from.port, from.address);
      setTimeout(() => server.send(Buffer.from('genuine'), from.port, from.address), 50);
    });
    const answer = await sendUpdate(
      { host: '127.0.0.1', port: server.address().port },
      Buffer.from('update'),
      2000,
    );
    expect(answer.toString()).toBe('genuine');
  });

  it('when only another port answers then the update times out', async () => {
    const server = await bound();
    const forger = await bound();
    server.on('message', (_message, from) => {
      forger.send(Buffer.from('forged'), from.port, from.address);
    });
    await expect(
      sendUpdate({ host: '127.0.0.1', port: server.address().port }, Buffer.from('update'), 300),
    ).rejects.toThrow(/no answer from 127\.0\.0\.1:\d+ within 300 ms/);
  });
});
