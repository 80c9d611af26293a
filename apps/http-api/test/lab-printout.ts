// Reads the commands `pnpm start` prints, as a newcomer reads them: `slm-api lab`'s machine
// blocks and the volume host lab's client loops.

/** One `# machine N: …` block: the SLM_HOME it exports, its commands and its comments. */
export interface MachineBlock {
  readonly title: string;
  readonly home: string;
  readonly commands: readonly string[];
  readonly notes: readonly string[];
}

/** What `slm-api lab` prints: the slmgr alias and the machine blocks, in order. */
export interface ServicePrintout {
  readonly url: string;
  readonly alias: readonly string[];
  readonly machines: readonly MachineBlock[];
}

/** Parses `slm-api lab`'s instructions out of the lab's output. */
export function parseServicePrintout(output: string): ServicePrintout {
  const url = /activation service +(\S+)/.exec(output)?.[1];
  const alias = /alias slmgr='([^']+)'/.exec(output)?.[1];
  if (url === undefined || alias === undefined) throw new Error(`no lab instructions:\n${output}`);
  return { url, alias: alias.split(/\s+/), machines: machineBlocks(output) };
}

function machineBlocks(output: string): MachineBlock[] {
  const blocks: { title: string; lines: string[] }[] = [];
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    const title = /^# (machine \d+):/.exec(line)?.[1];
    if (title !== undefined) blocks.push({ title, lines: [] });
    else if (line === '' || line.startsWith('More keys:')) blocks.push({ title: '', lines: [] });
    else blocks.at(-1)?.lines.push(line);
  }
  return blocks.filter((block) => block.title !== '').map(toMachine);
}

function toMachine({ title, lines }: { title: string; lines: string[] }): MachineBlock {
  const home = lines.map((line) => /^export SLM_HOME=(\S+)$/.exec(line)?.[1]).find(Boolean);
  if (home === undefined) throw new Error(`${title} exports no SLM_HOME`);
  return {
    title,
    home,
    commands: lines.filter((line) => !line.startsWith('#') && !line.startsWith('export ')),
    notes: lines.filter((line) => line.startsWith('#')),
  };
}

/** What the volume host lab prints: the probe loop and the slmgr loop over client machines. */
export interface VolumePrintout {
  readonly clients: number;
  /** The probe line for client machine `i`, without the `| grep` that filters its report. */
  readonly probe: (i: number) => string;
  readonly home: (i: number) => string;
  /** The slmgr lines of client machine `i`, without the `>/dev/null` that hides their output. */
  readonly commands: (i: number) => readonly string[];
}

const LOOP = /^for i in \$\(seq 1 (\d+)\); do (.+)$/;

/** Parses the volume host lab's loops out of the lab's output. */
export function parseVolumePrintout(output: string): VolumePrintout {
  const lines = output.split('\n').map((line) => line.trim());
  const loops = lines.flatMap((line, at) => {
    const match = LOOP.exec(line);
    return match === null ? [] : [{ at, clients: Number(match[1]), head: match[2] ?? '' }];
  });
  const probe = loops.find((loop) => loop.head.includes(' probe '));
  const slmgr = loops.find((loop) => loop.head.startsWith('export SLM_HOME='));
  if (probe === undefined || slmgr === undefined) throw new Error(`no client loops:\n${output}`);
  const probeLine = probe.head.replace(/ \| grep .*$/, '');
  const body = loopBody(lines, slmgr.at + 1);
  return {
    clients: slmgr.clients,
    probe: (i) => withClient(probeLine, i),
    home: (i) => withClient(slmgr.head.slice('export SLM_HOME='.length), i),
    commands: (i) => body.map((line) => withClient(line, i)),
  };
}

function loopBody(lines: readonly string[], from: number): string[] {
  const end = lines.findIndex((line, at) => at >= from && line.endsWith('; done'));
  if (end === -1) throw new Error('the slmgr client loop has no "; done"');
  return lines
    .slice(from, end + 1)
    .map((line) => line.replace(/; done$/, '').replace(/ >\/dev\/null$/, ''));
}

function withClient(line: string, i: number): string {
  return line.replaceAll('$i', String(i));
}
