import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { systemSearchList } from '@slm/volume-client';
import type { Logger } from '../log.js';
import type { Runtime } from '../runtime/runtime.js';
import type { TsigKey } from './tsig.js';
import {
  buildUpdate,
  parseTsigKeyFile,
  readAnswer,
  type SrvPublication,
  sendUpdate,
  srvName,
} from './update.js';

/** Where and what to publish; every field has a default taken from the machine. */
export interface PublishFlags {
  readonly dnsServer?: string | undefined;
  readonly dnsDomain?: string | undefined;
  readonly dnsName?: string | undefined;
  readonly tsigKey?: string | undefined;
  readonly dnsPriority?: number | undefined;
  readonly dnsWeight?: number | undefined;
}

const DAY_MS = 86_400_000;
const RETRY_MS = 3_600_000;

/** Publishes the host's SRV record at start and daily while `/sdns` is on. */
export function startPublisher(
  runtime: Runtime,
  flags: PublishFlags,
  log: Logger,
): { stop(): void } {
  let timer: NodeJS.Timeout | null = null;
  let previous: SrvPublication | null = null;
  const schedule = (ms: number) => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(run, ms);
    timer.unref();
  };
  const run = async () => {
    if (!runtime.settings().dnsPublishing) return;
    const outcome = await publishOnce(runtime, flags, previous);
    runtime.setDnsStatus({ at: Date.now(), ok: outcome.ok, message: outcome.message });
    if (outcome.ok) previous = outcome.publication;
    (outcome.ok ? log.info : log.warn)(outcome.ok ? 'dns published' : 'dns publishing failed', {
      message: outcome.message,
    });
    schedule(outcome.ok ? DAY_MS : RETRY_MS);
  };
  runtime.onSettings((settings) => {
    if (settings.dnsPublishing) schedule(0);
    else if (timer !== null) clearTimeout(timer);
  });
  schedule(0);
  return { stop: () => (timer === null ? undefined : clearTimeout(timer)) };
}

type Outcome =
  | { ok: true; message: string; publication: SrvPublication }
  | { ok: false; message: string };

async function publishOnce(
  runtime: Runtime,
  flags: PublishFlags,
  previous: SrvPublication | null,
): Promise<Outcome> {
  const target = publicationOf(runtime, flags);
  if (typeof target === 'string') return { ok: false, message: target };
  const { publication, server, key } = target;
  try {
    const answer = await exchange(server, publication, previous, key);
    if (!answer.ok) return answer;
    const name = srvName(publication.zone);
    if (answer.rcode !== 'NOERROR') {
      return {
        ok: false,
        message: `the DNS server answered ${answer.rcode} to the update of ${name}`,
      };
    }
    const where = `${name} → ${publication.target}:${publication.port} at ${server.host}:${server.port}`;
    const signed = key === null ? '' : `; the answer's TSIG (${key.name}) verified`;
    return { ok: true, message: `published ${where}${signed}`, publication };
  } catch (error) {
    const reason = (error as Error).message;
    return { ok: false, message: `the DNS server ${server.host}:${server.port}: ${reason}` };
  }
}

// One update and its answer; with a key, an answer whose TSIG does not verify is a failure.
async function exchange(
  server: { host: string; port: number },
  publication: SrvPublication,
  previous: SrvPublication | null,
  key: TsigKey | null,
) {
  const tsig = key === null ? null : { key, now: Date.now() };
  const sent = buildUpdate(publication, previous, randomInt(0, 0x10000), tsig);
  return readAnswer(await sendUpdate(server, sent.message, 3_000), sent, Date.now());
}

function publicationOf(runtime: Runtime, flags: PublishFlags) {
  const zone = flags.dnsDomain ?? systemSearchList()[0];
  if (zone === undefined) return 'no DNS domain to publish in: pass --dns-domain';
  const server = parseServer(flags.dnsServer ?? systemNameserver());
  if (server === null) return 'no DNS server to send updates to: pass --dns-server';
  const key = flags.tsigKey === undefined ? null : readKey(flags.tsigKey);
  if (key === 'unreadable')
    return `the TSIG key file ${flags.tsigKey} is not a hmac-sha256 BIND key`;
  const publication: SrvPublication = {
    zone,
    target: flags.dnsName ?? fqdn(zone),
    port: runtime.host.port,
    priority: flags.dnsPriority ?? 0,
    weight: flags.dnsWeight ?? 0,
    ttl: 3600,
  };
  return { publication, server, key };
}

/** The TSIG key in a BIND key file, or 'unreadable' when the file cannot be read or holds none. */
export function readKey(path: string): TsigKey | 'unreadable' {
  try {
    return parseTsigKeyFile(readFileSync(path, 'utf8')) ?? 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/** `ADDRESS[:PORT]` or `[IPv6]:PORT` of a DNS server; port 53 unless given. */
export function parseServer(text: string | null): { host: string; port: number } | null {
  if (text === null) return null;
  const match = /^\[([^\]]+)\](?::(\d+))?$/.exec(text) ?? /^([^:]+)(?::(\d+))?$/.exec(text);
  if (match === null) return { host: text, port: 53 };
  return { host: match[1] ?? text, port: match[2] === undefined ? 53 : Number(match[2]) };
}

function systemNameserver(): string | null {
  try {
    const line = readFileSync('/etc/resolv.conf', 'utf8')
      .split('\n')
      .find((entry) => entry.trim().startsWith('nameserver'));
    return line?.trim().split(/\s+/)[1] ?? null;
  } catch {
    return null;
  }
}

function fqdn(zone: string): string {
  const name = hostname();
  return name.includes('.') ? name : `${name}.${zone}`;
}
