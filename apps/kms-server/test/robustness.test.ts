import { connect, type Socket } from 'node:net';
import {
  decodeError,
  decodeResponse,
  encodeRequest,
  type Frame,
  FrameReader,
  MAGIC,
} from '@slm/kms-protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { ask, clientInput, DAY, logged, startTestHost, type TestHost } from './harness.js';

let test: TestHost;
afterEach(async () => test?.close());

/** Connects, sends bytes, and collects every frame until the host closes the connection. */
function talk(port: number, bytes: Buffer, end = false): Promise<{ frames: Frame[]; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const reader = new FrameReader();
    const frames: Frame[] = [];
    socket.on('connect', () => (end ? socket.end(bytes) : socket.write(bytes)));
    socket.on('data', (chunk: Buffer) => frames.push(...reader.push(chunk)));
    socket.on('error', () => {});
    socket.on('close', () => resolve({ frames, ms: Date.now() - started }));
  });
}

function problems(frames: Frame[]): string[] {
  return frames.map((frame) => {
    const decoded = decodeError(frame);
    return decoded.ok ? decoded.value.problem : `not an error frame: ${frame.type}`;
  });
}

const request = encodeRequest({
  activationId: '5f0c1a2e-0000-4000-8000-00000000a002',
  clientMachineId: 'robust-1',
  workstation: 'c'.repeat(32),
  licenceState: 2,
  requiredCount: 25,
  clientTime: Date.UTC(2026, 2, 1),
  nonce: 'robustrobustrobust',
});

describe('several requests on one connection', () => {
  it('when requests arrive together and the client half-closes then every answer comes back in order', async () => {
    test = await startTestHost();
    for (let n = 0; n < 4; n++) await ask(test, { sku: 'server' });
    const frameFor = (nonce: string, clientTime = test.clock.now) => {
      const input = clientInput(test, { sku: 'server' });
      return encodeRequest({
        activationId: input.activationId,
        clientMachineId: input.clientMachineId,
        workstation: input.workstation,
        licenceState: 2,
        requiredCount: 5,
        clientTime,
        nonce,
      });
    };
    const together = Buffer.concat([
      frameFor('fifth-machine-nonce'),
      frameFor('skewed-machine-nonce', test.clock.now - DAY / 4),
      frameFor('sixth-machine-nonce'),
    ]);
    const { frames } = await talk(test.port, together, true);
    const answers = frames.map((frame) => {
      const decoded = decodeResponse(frame);
      return decoded.ok ? [frame.type, decoded.value.response.nonce] : [frame.type, null];
    });
    expect(answers).toEqual([
      ['activation', 'fifth-machine-nonce'],
      ['response', 'skewed-machine-nonce'],
      ['activation', 'sixth-machine-nonce'],
    ]);
  });
});

describe('a host facing bad clients', () => {
  it('when garbage arrives then the host sends one error frame and closes', async () => {
    test = await startTestHost();
    const { frames } = await talk(test.port, Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    expect(problems(frames)).toEqual(['bad_magic']);
  });

  it('when a header declares an oversized body then it is refused at once', async () => {
    test = await startTestHost();
    const header = Buffer.from(request.subarray(0, 12));
    header.writeUInt32BE(50_000_000, 8);
    const { frames, ms } = await talk(test.port, header);
    expect(problems(frames)).toEqual(['too_large']);
    expect(ms).toBeLessThan(1_000);
  });

  it('when a frame is cut short and the client stops sending then the host says so and closes', async () => {
    test = await startTestHost();
    const { frames } = await talk(test.port, request.subarray(0, 40), true);
    expect(problems(frames)).toEqual(['malformed']);
  });

  it('when a frame dribbles in too slowly then the host times it out', async () => {
    test = await startTestHost({ limits: { frameTimeoutMs: 400, idleTimeoutMs: 5_000 } });
    const { frames, ms } = await talk(test.port, request.subarray(0, 30));
    expect(problems(frames)).toEqual(['timeout']);
    expect(ms).toBeGreaterThanOrEqual(350);
  });

  it('when a connection stays idle then the host closes it', async () => {
    test = await startTestHost({ limits: { idleTimeoutMs: 300 } });
    const { frames } = await talk(test.port, Buffer.alloc(0));
    expect(problems(frames)).toEqual(['timeout']);
    expect(logged(test, 'connection closed')[0]).toMatchObject({ problem: 'timeout' });
  });

  it('when the body is JSON of the wrong shape then the error names the field', async () => {
    test = await startTestHost();
    const body = Buffer.from(JSON.stringify({ activationId: 'nope' }));
    const header = Buffer.concat([MAGIC, Buffer.from([1, 1, 0, 0]), Buffer.alloc(4)]);
    header.writeUInt32BE(body.length, 8);
    const { frames } = await talk(test.port, Buffer.concat([header, body]));
    const decoded = decodeError(frames[0]!);
    expect(decoded.ok && decoded.value.message).toMatch(/^activationId:/);
  });

  it('when more connections open than allowed then the extra one is told the host is busy', async () => {
    test = await startTestHost({ limits: { maxConnections: 3 } });
    const held = await Promise.all([1, 2, 3].map(() => openIdle(test.port)));
    const { frames } = await talk(test.port, request);
    expect(problems(frames)).toEqual(['busy']);
    for (const socket of held) socket.destroy();
    await waitFor(() => test.host.openConnections() === 0);
    expect((await ask(test)).ok ? 'ok' : 'answered').toBe('answered');
  });
});

function openIdle(port: number): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.on('error', () => {});
  });
}

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((r) => setTimeout(r, 20));
}
