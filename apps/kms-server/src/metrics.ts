import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Logger } from './log.js';
import type { Runtime } from './runtime/runtime.js';
import type { HostObserver } from './server/connection.js';

/** Prometheus metrics of one host, served on a separate loopback port. */
export interface Metrics {
  readonly observer: HostObserver;
  readonly port: number;
  attach(runtime: Runtime): void;
  close(): Promise<void>;
}

/** Starts the metrics endpoint (`GET /metrics`) on 127.0.0.1 only: it is never exposed. */
export async function startMetrics(port: number, log: Logger): Promise<Metrics> {
  const registry = new Registry();
  const requests = new Counter({
    name: 'slm_kms_requests_total',
    help: 'Requests answered, by outcome and refusal reason',
    labelNames: ['outcome', 'reason'],
    registers: [registry],
  });
  const frameErrors = new Counter({
    name: 'slm_kms_connection_errors_total',
    help: 'Connections closed with an error frame, by problem',
    labelNames: ['problem'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'slm_kms_request_duration_seconds',
    help: 'Time to answer one request, from a complete frame to the answer written',
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.05, 0.1, 0.5],
    registers: [registry],
  });
  let runtime: Runtime | null = null;
  new Gauge({
    name: 'slm_kms_open_connections',
    help: 'Client connections open now',
    registers: [registry],
    collect() {
      this.set(runtime?.host.openConnections() ?? 0);
    },
  });
  new Gauge({
    name: 'slm_kms_client_count',
    help: 'Distinct client machines counted per product family (capped)',
    labelNames: ['family'],
    registers: [registry],
    collect() {
      for (const [family, count] of Object.entries(runtime?.store.families(Date.now()) ?? {})) {
        this.set({ family }, count);
      }
    },
  });
  const server = await serve(registry, port);
  log.info('metrics listening', { address: '127.0.0.1', port: portOf(server) });
  return {
    port: portOf(server),
    observer: {
      onAnswer: (answer, seconds) => {
        requests.inc({ outcome: answer.log.outcome, reason: answer.log.reason ?? '' });
        duration.observe(seconds);
      },
      onFrameError: (problem) => frameErrors.inc({ problem }),
    },
    attach: (next) => {
      runtime = next;
    },
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

function serve(registry: Registry, port: number): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.url !== '/metrics') {
      response.writeHead(404).end('not found\n');
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => response.writeHead(500).end('metrics failed\n'),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port }, () => resolve(server));
  });
}

function portOf(server: Server): number {
  const address = server.address();
  return typeof address === 'object' && address !== null ? address.port : 0;
}
