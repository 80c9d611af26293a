import { isIP } from 'node:net';
import { SlmError } from '@slm/core';
import { DEFAULT_KMS_PORT } from '@slm/kms-protocol';
import { Argument, Command, CommanderError, InvalidArgumentError } from 'commander';
import { parseServer, readKey } from './dns/publisher.js';
import { KmsError, type KmsErrorCode } from './errors.js';
import { jsonLogger } from './log.js';
import { activationIdOf, clientIdOf, vendorKeyOf } from './probe/options.js';
import { PROBE_KINDS, type ProbeKind, runProbe } from './probe/probe.js';
import { formatReport } from './probe/report.js';
import { type RunFlags, runHost } from './run.js';
import { signalHost } from './runtime/pid.js';
import { setMaintenanceFlag } from './runtime/runtime.js';

/** Where output goes: the binary passes the process streams, tests capture them. */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Documented exit statuses. */
export const EXIT = { ok: 0, failed: 1, usage: 2, notVolumeHost: 3 } as const;

const KMS_EXIT: Record<KmsErrorCode, number> = {
  'usage.value': EXIT.usage,
  'home.not_volume_host': EXIT.notVolumeHost,
  'home.in_use': EXIT.failed,
  'home.unwritable': EXIT.failed,
  'home.counts_corrupt': EXIT.failed,
  'listen.in_use': EXIT.failed,
};

// Longest delay a Node timer takes; a longer one would fire at once.
const MAX_TIMER_MS = 2_147_483_647;
const MILLISECONDS = whole(1, MAX_TIMER_MS);
// Port 0 asks the system for any free port.
const PORT_OR_ANY = whole(0, 65_535);

const PROCESS_IO: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
};

const HELP_AFTER = `
Settings come from the machine store in --home ($SLM_HOME, else /var/lib/slm), set with slmgr:
  /sai /sri (intervals), /sdns /cdns (DNS publishing), /spri /cpri (priority): applied on
  reload (kill -HUP <pid>) or restart.   /sprt (port): applied on restart only.
The host needs an activated volume host key (slmgr /ipk HOSTKEY, slmgr /ato); without it,
slm-kms refuses to start (exit status 3).
Logs: one JSON line per request on stdout (client IDs are hashed).
Exit statuses: 0 ok, 1 failed, 2 usage, 3 not an activated volume host.
`;

/** Runs slm-kms with argv (without node and script); resolves to the exit status. */
export async function main(argv: readonly string[], io: Io = PROCESS_IO): Promise<number> {
  let status: number = EXIT.ok;
  const program = buildProgram(io, (code) => {
    status = code;
  });
  try {
    await program.parseAsync(withCommand(argv), { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    return reportFailure(io, error);
  }
  return status;
}

/**
 * Options alone run the host (`slm-kms --home /srv/slm`). `run` is not commander's default
 * command: that would hand an unknown command to `run` as an argument ("too many arguments").
 */
function withCommand(argv: readonly string[]): string[] {
  const first = argv[0];
  const optionsOnly = first === undefined || (first.startsWith('-') && !HELP.has(first));
  return optionsOnly ? ['run', ...argv] : [...argv];
}

const HELP = new Set(['-h', '--help']);

function buildProgram(io: Io, done: (code: number) => void): Command {
  const program = new Command('slm-kms')
    .description('The volume activation host: activates volume client machines on this network.')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .addHelpText('after', HELP_AFTER);
  addRun(program, io, done);
  addProbe(program, io, done);
  addMaintenance(program, io, done);
  return program;
}

function addRun(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('run')
    .description('run the volume host in the foreground (the default command)')
    .option('--home <dir>', 'the machine store folder (default: $SLM_HOME, else /var/lib/slm)')
    .option('--listen <addresses>', 'comma-separated addresses', addressList, '0.0.0.0,::')
    .option('--port <port>', 'listen on this port instead of the /sprt setting', PORT_OR_ANY)
    .option('--metrics-port <port>', 'serve Prometheus metrics on 127.0.0.1:<port>', PORT_OR_ANY)
    .option('--maintenance', 'refuse every activation with the reason "maintenance"')
    .option('--idle-timeout <ms>', 'close connections idle this long', MILLISECONDS, 30_000)
    .option(
      '--frame-timeout <ms>',
      'close connections whose frame takes longer',
      MILLISECONDS,
      10_000,
    )
    .option('--max-connections <n>', 'open connections allowed at once', whole(1, 1_000_000), 2_000)
    .option(
      '--dns-server <ip:port>',
      'DNS server for SRV publishing (default: resolv.conf)',
      dnsServerOf,
    )
    .option(
      '--dns-domain <domain>',
      'domain to publish _vlmcs._tcp in (default: search list)',
      domainOf,
    )
    .option('--dns-name <fqdn>', 'this host name in the SRV record (default: hostname)', domainOf)
    .option(
      '--tsig-key <file>',
      'TSIG key file (BIND key syntax) to sign DNS updates with',
      tsigKeyFileOf,
    )
    .option('--dns-priority <n>', 'SRV priority to publish', whole(0, 65_535), 0)
    .option('--dns-weight <n>', 'SRV weight to publish', whole(0, 65_535), 0)
    .addHelpText('after', HELP_AFTER)
    .action(async (flags: RunFlags) => {
      done(await runHost({ ...flags, home: homeOf(flags.home, io) }, io));
    });
}

function addProbe(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('probe')
    .description('send requests as a client would and check every answer (HOST[:PORT])')
    .addArgument(new Argument('<target>', 'the volume host, HOST[:PORT]').argParser(parseTarget))
    .requiredOption(
      '--vendor-key <key>',
      'the vendor public key the host certificate must chain to',
      vendorKeyOf,
    )
    .requiredOption('--product <activationId>', 'the activation ID to ask for', activationIdOf)
    .option('--threshold <n>', 'the threshold the client needs', whole(0, 0xffff_ffff), 25)
    .option('-n, --requests <n>', 'how many requests', whole(1, 1_000_000_000), 1)
    .option('-c, --concurrency <n>', 'requests in flight at once', whole(1, 100_000), 1)
    .option('--kind <kind>', `one of ${PROBE_KINDS.join(', ')}`, kindOf, 'normal')
    .option('--client-id <id>', 'use this client machine ID for every request', clientIdOf)
    .option('--licence-state <code>', 'the licence state code to report', whole(0, 6), 2)
    .option('--timeout <ms>', 'time limit per request', MILLISECONDS, 5_000)
    .option('--seed <n>', 'seed for malformed frames', whole(0, 0xffff_ffff), 1)
    .option('--no-verify', 'load generation only: send and read one frame, check nothing')
    .option('--json', 'print the report as JSON')
    .action(async (target: { host: string; port: number }, flags: ProbeFlags) => {
      const report = await runProbe({ ...probeOptions(flags), target });
      io.out(flags.json === true ? `${JSON.stringify(report)}\n` : formatReport(report));
      done(report.ok ? EXIT.ok : EXIT.failed);
    });
}

function addMaintenance(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('maintenance <state>')
    .description('turn maintenance on or off (a running host applies it at once)')
    .option('--home <dir>', 'the machine store folder (default: $SLM_HOME, else /var/lib/slm)')
    .action((state: string, flags: { home?: string }) => {
      if (state !== 'on' && state !== 'off') {
        throw new KmsError('usage.value', `maintenance takes on or off, not ${state}`);
      }
      const home = homeOf(flags.home, io);
      setMaintenanceFlag(home, state === 'on');
      const signalled = signalHost(home, 'SIGHUP');
      io.out(
        `maintenance ${state}${signalled ? '; the running host reloaded' : '; applies at the next start'}\n`,
      );
      done(EXIT.ok);
    });
}

interface ProbeFlags {
  vendorKey: string;
  product: string;
  threshold: number;
  requests: number;
  concurrency: number;
  kind: ProbeKind;
  clientId?: string;
  licenceState: number;
  timeout: number;
  seed: number;
  verify: boolean;
  json?: boolean;
}

function probeOptions(flags: ProbeFlags) {
  return {
    kind: flags.kind,
    vendorKey: flags.vendorKey,
    activationId: flags.product,
    threshold: flags.threshold,
    requests: flags.requests,
    concurrency: flags.concurrency,
    timeoutMs: flags.timeout,
    licenceState: flags.licenceState,
    seed: flags.seed,
    clientMachineId: flags.clientId,
    verify: flags.verify,
  };
}

/** HOST, HOST:PORT, [V6] or [V6]:PORT. */
export function parseTarget(text: string): { host: string; port: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const plain = /^([^:]+)(?::(\d+))?$/.exec(text);
  const match = bracketed ?? plain;
  if (match === null) throw new InvalidArgumentError(`${text} is not HOST[:PORT]`);
  return {
    host: match[1] ?? '',
    port: match[2] === undefined ? DEFAULT_KMS_PORT : whole(1, 65_535)(match[2]),
  };
}

/** A parser of decimal whole numbers from min to max: `0x10`, `1e3`, `+5` and `07.0` are refused. */
function whole(min: number, max: number): (text: string) => number {
  return (text) => {
    const value = /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
    if (!(value >= min && value <= max)) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    }
    return value;
  };
}

/** `--dns-server`: an IP address, with a port if not 53 (`192.0.2.53:5353`, `[::1]:53`). */
function dnsServerOf(text: string): string {
  const server = parseServer(text.trim());
  const port = server?.port ?? 0;
  if (server === null || isIP(server.host) === 0 || !(port >= 1 && port <= 65_535)) {
    throw new InvalidArgumentError(
      'expected an IP address with an optional port, such as 192.0.2.53, 192.0.2.53:5353 or [2001:db8::53]:53',
    );
  }
  return text.trim();
}

/** `--dns-domain` and `--dns-name`: a DNS name, labels of letters, digits, - and _. */
function domainOf(text: string): string {
  const name = text.trim().replace(/\.$/, '');
  const labels = name.split('.');
  const fine =
    name.length >= 1 &&
    name.length <= 253 &&
    labels.every((label) => /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/.test(label));
  if (!fine) throw new InvalidArgumentError(`"${text}" is not a DNS name`);
  return name;
}

/** `--tsig-key`: checked at start, so a typo is not first seen when the daily update fails. */
function tsigKeyFileOf(path: string): string {
  if (readKey(path) === 'unreadable') {
    throw new InvalidArgumentError(
      `${path} cannot be read or holds no hmac-sha256 key in BIND key syntax`,
    );
  }
  return path;
}

/** `--listen`: addresses separated by commas, none of them empty. */
function addressList(text: string): string {
  const addresses = text.split(',').map((address) => address.trim());
  if (addresses.some((address) => address === '')) {
    throw new InvalidArgumentError('expected addresses separated by commas, none of them empty');
  }
  return addresses.join(',');
}

function kindOf(text: string): ProbeKind {
  if (!(PROBE_KINDS as readonly string[]).includes(text)) {
    throw new InvalidArgumentError(`expected one of ${PROBE_KINDS.join(', ')}`);
  }
  return text as ProbeKind;
}

function homeOf(flag: string | undefined, io: Io): string {
  return flag ?? io.env.SLM_HOME ?? '/var/lib/slm';
}

// What the host identity (private/volume-host.json) can fail with: the machine is then not an
// activated volume host. Settings and store problems are plain failures.
const IDENTITY_PROBLEM = /^(?:activation\.unavailable$|grant\.|catalog\.)/;

function reportFailure(io: Io, error: unknown): number {
  if (error instanceof KmsError) {
    io.err(`error: ${error.message}\n`);
    return KMS_EXIT[error.code];
  }
  const log = jsonLogger(io.err);
  if (error instanceof SlmError) {
    log.error('cannot start', { code: error.code, message: error.message });
    return IDENTITY_PROBLEM.test(error.code) ? EXIT.notVolumeHost : EXIT.failed;
  }
  log.error('unexpected failure', { message: (error as Error)?.message ?? String(error) });
  return EXIT.failed;
}
