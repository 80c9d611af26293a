import { SlmError } from '@slm/core';
import { DEFAULT_KMS_PORT } from '@slm/kms-protocol';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { jsonLogger } from './log.js';
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
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    return reportFailure(io, error);
  }
  return status;
}

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
    .command('run', { isDefault: true })
    .description('run the volume host in the foreground (the default command)')
    .option('--home <dir>', 'the machine store folder (default: $SLM_HOME, else /var/lib/slm)')
    .option('--listen <addresses>', 'comma-separated addresses', '0.0.0.0,::')
    .option('--port <port>', 'listen on this port instead of the /sprt setting', integer)
    .option('--metrics-port <port>', 'serve Prometheus metrics on 127.0.0.1:<port>', integer)
    .option('--maintenance', 'refuse every activation with the reason "maintenance"')
    .option('--idle-timeout <ms>', 'close connections idle this long', integer, 30_000)
    .option('--frame-timeout <ms>', 'close connections whose frame takes longer', integer, 10_000)
    .option('--max-connections <n>', 'open connections allowed at once', integer, 2_000)
    .option('--dns-server <ip:port>', 'DNS server for SRV publishing (default: resolv.conf)')
    .option('--dns-domain <domain>', 'domain to publish _vlmcs._tcp in (default: search list)')
    .option('--dns-name <fqdn>', 'this host name in the SRV record (default: hostname)')
    .option('--tsig-key <file>', 'TSIG key file (BIND key syntax) to sign DNS updates with')
    .option('--dns-priority <n>', 'SRV priority to publish', integer, 0)
    .option('--dns-weight <n>', 'SRV weight to publish', integer, 0)
    .addHelpText('after', HELP_AFTER)
    .action(async (flags: RunFlags) => {
      done(await runHost({ ...flags, home: homeOf(flags.home, io) }, io));
    });
}

function addProbe(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('probe <target>')
    .description('send requests as a client would and check every answer (HOST[:PORT])')
    .requiredOption(
      '--vendor-key <key>',
      'the vendor public key the host certificate must chain to',
    )
    .requiredOption('--product <activationId>', 'the activation ID to ask for')
    .option('--threshold <n>', 'the threshold the client needs', integer, 25)
    .option('-n, --requests <n>', 'how many requests', integer, 1)
    .option('-c, --concurrency <n>', 'requests in flight at once', integer, 1)
    .option('--kind <kind>', `one of ${PROBE_KINDS.join(', ')}`, kindOf, 'normal')
    .option('--client-id <id>', 'use this client machine ID for every request')
    .option('--licence-state <code>', 'the licence state code to report', integer, 2)
    .option('--timeout <ms>', 'time limit per request', integer, 5_000)
    .option('--seed <n>', 'seed for malformed frames', integer, 1)
    .option('--no-verify', 'load generation only: send and read one frame, check nothing')
    .option('--json', 'print the report as JSON')
    .action(async (target: string, flags: ProbeFlags) => {
      const report = await runProbe({ ...probeOptions(flags), target: parseTarget(target) });
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
      if (state !== 'on' && state !== 'off') throw new InvalidArgumentError('expected on or off');
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
    activationId: flags.product.toLowerCase(),
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
    port: match[2] === undefined ? DEFAULT_KMS_PORT : integer(match[2]),
  };
}

function integer(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0)
    throw new InvalidArgumentError(`${text} is not a whole number`);
  return value;
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

function reportFailure(io: Io, error: unknown): number {
  const log = jsonLogger(io.err);
  if (error instanceof SlmError) {
    log.error('cannot start', { code: error.code, message: error.message });
    return error.code === 'activation.unavailable' || error.code.startsWith('grant.')
      ? EXIT.notVolumeHost
      : EXIT.failed;
  }
  log.error('unexpected failure', { message: (error as Error)?.message ?? String(error) });
  return EXIT.failed;
}
