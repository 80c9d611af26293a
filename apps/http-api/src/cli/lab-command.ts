import { resolve as resolvePath } from 'node:path';
import { Command } from 'commander';
import { LAB_PORT, type LabKeys, prepareLab, stockLab } from '../lab/prepare.js';
import { startService } from '../service.js';
import { portIn, toPort } from './init-command.js';
import type { CliIo } from './io.js';

interface LabFlags {
  slmgr: string;
  port: number;
  kmsPort: number;
  once?: boolean;
}

// pnpm start's own volume host listens here; machine 3's host is printed one port above it.
const KMS_PORT = 1688;

/** `slm-api lab [DIR]`: a demo vendor and the service on loopback, with commands to paste. */
export function labCommand(io: CliIo, signals: AbortSignal): Command {
  return new Command('lab')
    .description('run a local lab: demo vendor, minted keys and the service on loopback')
    .argument('[dir]', 'the lab folder (reused when it exists)', 'lab')
    .option('--slmgr <command>', 'how to run slmgr', 'node apps/cli/bin/slmgr.js')
    .option(
      '--port <port>',
      `the service port; without this option ${LAB_PORT}, or a free one when it is taken`,
      toPort,
      LAB_PORT,
    )
    .option(
      '--kms-port <port>',
      "pnpm start's volume host port; machine 3's host is printed on the next one",
      (text: string) => portIn(text, 1, 65_534),
      KMS_PORT,
    )
    .option('--once', 'prepare and print, then stop instead of serving')
    .action(async (dir: string, flags: LabFlags, command: Command) => {
      const quiet = (line: string) => void line;
      const asked = command.getOptionValueSource('port') === 'cli';
      const lab = await prepareLab(dir, { port: flags.port, asked }, (text) => io.err(text));
      const service = await startService(lab.vendorDir, { log: quiet, port: lab.port });
      const keys = await stockLab(dir, service.url, service.deps);
      io.out(instructions(dir, service.url, flags, keys));
      if (flags.once !== true) {
        await new Promise<void>((resolve) => signals.addEventListener('abort', () => resolve()));
      }
      await service.close();
    });
}

function instructions(labDir: string, url: string, flags: LabFlags, keys: LabKeys): string {
  const dir = resolvePath(labDir);
  const hostPort = flags.kmsPort + 1;
  return `
The lab is ready in ${labDir}/ (run this again to reuse it).
  activation service  ${url}
  API reference       ${url}/docs
  phone activation    ${url}/phone

Paste these in another terminal, from the repository root:

  alias slmgr='${flags.slmgr}'

  # machine 1: install a retail key and activate online
  export SLM_HOME=${dir}/machines/pc1
  slmgr /ilc ${dir}/vendor/catalog.signed
  slmgr /ipk ${keys.retail}
  slmgr /ato
  slmgr /dlv

  # machine 2: a MAK key, activated by phone
  export SLM_HOME=${dir}/machines/pc2
  slmgr /ilc ${dir}/vendor/catalog.signed
  slmgr /ipk ${keys.mak}
  slmgr /dti
  #   open ${url}/phone, type the Installation ID, then:
  slmgr /atp CONFIRMATION-ID
  slmgr /dli

  # machine 3: a volume host key; /ato certifies the host's own key, then run the host
  # (on ${hostPort}: pnpm start's own volume host holds ${flags.kmsPort})
  export SLM_HOME=${dir}/machines/kms1
  slmgr /ilc ${dir}/vendor/catalog.signed
  slmgr /ipk ${keys.volumeHost}
  slmgr /ato
  node apps/kms-server/bin/slm-kms.js --home ${dir}/machines/kms1 --listen 127.0.0.1 --port ${hostPort}

More keys: ${dir}/keys.json. Administrator token: ${dir}/admin-token.
Press Ctrl+C to stop the service.
`;
}
