import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivationClient } from '../src/index.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const request = {
  key: 'BCDFG-HJKMP-QRTVW-XY234-6789B',
  activationId: '6f1c1a52-3b6e-4f4e-9d1e-2b7f3c9a0d11',
  fingerprint: '0123456789abcdef0123456789abcdef',
  installation: { clientMachineId: '0a4d55a8-d778-4e1a-8d2f-95f8c2b1e0aa' },
};

let handler: Handler = (_req, res) => res.end();
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function answer(status: number, body: unknown, type = 'application/json'): Handler {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': type, 'x-request-id': 'req-1' });
    res.end(JSON.stringify(body));
  };
}

/** A 429 problem with a Retry-After, as the service sends it. */
function rateLimited(res: ServerResponse, retryAfter: string, detail?: string): void {
  res.writeHead(429, { 'content-type': 'application/problem+json', 'retry-after': retryAfter });
  const title = 'Too many requests';
  res.end(
    JSON.stringify({ type: 'about:blank', title, status: 429, code: 'http.rate_limited', detail }),
  );
}

describe('activation client', () => {
  it('when the service refuses a key then the verdict carries its reason', async () => {
    handler = answer(200, { activated: false, reason: 'key.blocked', message: 'blocked' });
    const result = await createActivationClient({ baseUrl }).activateOnline(request);
    expect(result).toEqual({
      ok: true,
      value: { activated: false, reason: 'key.blocked', message: 'blocked' },
    });
  });

  it('when the service answers a problem then the failure is http with its code', async () => {
    const problem = { type: 'about:blank', title: 'Too many requests', status: 429 };
    handler = answer(429, { ...problem, code: 'http.rate_limited' }, 'application/problem+json');
    const result = await createActivationClient({ baseUrl }).activateOnline(request);
    expect(result).toMatchObject({
      ok: false,
      failure: { kind: 'http', status: 429, code: 'http.rate_limited', requestId: 'req-1' },
    });
  });

  it('when the answer is outside the protocol then the failure is protocol', async () => {
    handler = answer(200, { hello: 'world' });
    const result = await createActivationClient({ baseUrl }).activatePhone({ installationId: '1' });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'protocol' } });
  });

  it('when nothing listens on the port then the failure is refused', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const client = createActivationClient({ baseUrl: `http://127.0.0.1:${port}` });
    expect(await client.catalog()).toMatchObject({ ok: false, failure: { kind: 'refused' } });
  });

  it('when the service does not answer in time then the failure is timed out', async () => {
    handler = () => undefined;
    const client = createActivationClient({ baseUrl, timeoutMs: 200 });
    const result = await client.catalog();
    expect(result).toMatchObject({ ok: false, failure: { kind: 'timed_out', timeoutMs: 200 } });
  });

  it('when the host name does not resolve then the failure is unreachable', async () => {
    const client = createActivationClient({ baseUrl: 'http://no-such-host.invalid' });
    expect(await client.catalog()).toMatchObject({ ok: false, failure: { kind: 'unreachable' } });
  });

  it('when a token would travel over plain HTTP to another host then nothing is sent', async () => {
    let called = false;
    const client = createActivationClient({
      baseUrl: 'http://activation.example.com',
      token: 'throwaway-test-token',
      fetch: async () => {
        called = true;
        return new Response('{}');
      },
    });
    expect(await client.catalog()).toMatchObject({ ok: false, failure: { kind: 'insecure' } });
    expect(called).toBe(false);
  });

  it('when the service rate-limits with a short Retry-After then the request is sent again, three times at most', async () => {
    let calls = 0;
    const limited = (res: ServerResponse) =>
      rateLimited(res, '0', 'too many activation requests for this key');
    handler = (req, res) => {
      calls += 1;
      if (calls < 3) return limited(res);
      answer(200, { version: 1, publishedAt: 'x', signedCatalog: 's' })(req, res);
    };
    expect((await createActivationClient({ baseUrl }).catalog()).ok).toBe(true);
    expect(calls).toBe(3);

    calls = 0;
    handler = (_req, res) => {
      calls += 1;
      limited(res);
    };
    const refused = await createActivationClient({ baseUrl }).catalog();
    expect(calls).toBe(3);
    expect(refused).toMatchObject({
      ok: false,
      failure: {
        status: 429,
        message: 'too many activation requests for this key; the service asks to try again in 0 s',
      },
    });
  });

  it('when the service asks for a long wait then the client does not wait and says how long', async () => {
    let calls = 0;
    handler = (_req, res) => {
      calls += 1;
      rateLimited(res, '60');
    };
    const refused = await createActivationClient({ baseUrl }).catalog();
    expect(calls).toBe(1);
    expect(refused).toMatchObject({
      ok: false,
      failure: { message: 'Too many requests; the service asks to try again in 60 s' },
    });
  });

  it('when the service URL has a path then routes are resolved beneath it', async () => {
    let seen = '';
    handler = (req, res) => {
      seen = req.url ?? '';
      answer(200, { version: 1, publishedAt: 'x', signedCatalog: 's' })(req, res);
    };
    const result = await createActivationClient({ baseUrl: `${baseUrl}/vendor` }).catalog();
    expect(result.ok).toBe(true);
    expect(seen).toBe('/vendor/v1/catalog');
  });
});
