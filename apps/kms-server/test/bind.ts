// A real BIND (named) on 127.0.0.1 at a free port, with a generated config and zone in a temp dir.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as dns } from 'node:dns';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NAMED = '/usr/sbin/named';

/** A running named serving one zone. */
export interface Bind {
  readonly port: number;
  readonly server: string;
  readonly zone: string;
  readonly keyFile: string;
  /** The SRV records of `_vlmcs._tcp.<zone>` now, straight from the server. */
  srv(): Promise<{ name: string; port: number; priority: number; weight: number }[]>;
  stop(): Promise<void>;
}

/** What the zone holds besides its SOA and NS: plain zone-file lines, relative to the zone. */
export interface ZoneOptions {
  readonly zone?: string;
  readonly records?: readonly string[];
  /** Allow dynamic updates signed with the generated TSIG key only. */
  readonly updates?: boolean;
}

/** Starts named in the foreground (-g) and waits until it answers; fails clearly if missing. */
export async function startBind(options: ZoneOptions = {}): Promise<Bind> {
  if (spawnSync(NAMED, ['-v']).status !== 0) {
    throw new Error(
      'named is missing: apt-get install -y bind9 bind9-utils (the DNS tests need a real BIND)',
    );
  }
  const zone = options.zone ?? 'lab.test';
  const dir = mkdtempSync(join(tmpdir(), 'slm-bind-'));
  const port = await freePort();
  const secret = randomBytes(32).toString('base64');
  const keyFile = join(dir, 'kms-update.key');
  writeFileSync(
    keyFile,
    `key "kms-update" {\n  algorithm hmac-sha256;\n  secret "${secret}";\n};\n`,
  );
  writeFileSync(join(dir, 'zone.db'), zoneFile(zone, options.records ?? []));
  writeFileSync(
    join(dir, 'named.conf'),
    namedConf(dir, port, zone, keyFile, options.updates ?? false),
  );
  const child = spawn(NAMED, ['-g', '-c', join(dir, 'named.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const log: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  const server = `127.0.0.1:${port}`;
  await waitUntilAnswering(server, zone, child, log);
  return {
    port,
    server,
    zone,
    keyFile,
    srv: () => srvOf(server, zone),
    stop: () => stopNamed(child, dir),
  };
}

function namedConf(
  dir: string,
  port: number,
  zone: string,
  keyFile: string,
  updates: boolean,
): string {
  return `include "${keyFile}";
options {
  directory "${dir}";
  pid-file "${dir}/named.pid";
  session-keyfile "${dir}/session.key";
  managed-keys-directory "${dir}";
  listen-on port ${port} { 127.0.0.1; };
  listen-on-v6 { none; };
  recursion no;
  dnssec-validation no;
  allow-query { any; };
};
controls { };
zone "${zone}" {
  type primary;
  file "${dir}/zone.db";
  allow-update { ${updates ? 'key "kms-update";' : 'none;'} };
};
`;
}

function zoneFile(zone: string, records: readonly string[]): string {
  return [
    '$TTL 60',
    `@ IN SOA ns.${zone}. admin.${zone}. 1 60 60 600 60`,
    `@ IN NS ns.${zone}.`,
    'ns IN A 127.0.0.1',
    ...records,
    '',
  ].join('\n');
}

async function waitUntilAnswering(
  server: string,
  zone: string,
  child: ChildProcess,
  log: string[],
) {
  const resolver = new dns.Resolver({ timeout: 200, tries: 1 });
  resolver.setServers([server]);
  for (let i = 0; i < 50; i++) {
    if (child.exitCode !== null) throw new Error(`named exited: ${log.join('')}`);
    try {
      await resolver.resolveSoa(zone);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  child.kill('SIGTERM');
  throw new Error(`named did not answer in time: ${log.join('')}`);
}

async function srvOf(server: string, zone: string) {
  const resolver = new dns.Resolver({ timeout: 1000, tries: 1 });
  resolver.setServers([server]);
  try {
    return await resolver.resolveSrv(`_vlmcs._tcp.${zone}`);
  } catch {
    return [];
  }
}

function stopNamed(child: ChildProcess, dir: string): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      rmSync(dir, { recursive: true, force: true });
      resolve();
    };
    if (child.exitCode !== null) return done();
    child.once('exit', done);
    child.kill('SIGTERM');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ host: '127.0.0.1', port: 0 }, () => {
      const address = probe.address();
      probe.close(() =>
        resolve(typeof address === 'object' && address !== null ? address.port : 0),
      );
    });
  });
}
