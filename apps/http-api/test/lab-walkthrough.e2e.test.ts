// `pnpm start`'s lab, walked through as a newcomer would: start `node scripts/lab.mjs` (on free
// ports), paste every printed command, and check what the README promises.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type MachineBlock,
  parseServicePrintout,
  parseVolumePrintout,
  type ServicePrintout,
  type VolumePrintout,
} from './lab-printout.js';
import {
  type Call,
  commandOf,
  freePort,
  freePortPair,
  isListening,
  type Running,
  runLine,
  startLab,
  startProcess,
} from './lab-walkthrough.js';

const READY = [
  /Press Ctrl\+C to stop the service/,
  /the host's count and counters:/,
  /"host started"/,
];
const LICENSED = /License Status: Licensed/;
// Client machines activated at once: a batch is counted after the batch before it.
const BATCH = 5;

let dir: string;
let ports: { service: number; kms: number };
let lab: Running;
let service: ServicePrintout;
let volume: VolumePrintout;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slm-lab-walkthrough-'));
  ports = { service: await freePort(), kms: await freePortPair() };
  lab = startLab(join(dir, 'lab'), ports);
  const output = await lab.until(READY, 30_000);
  service = parseServicePrintout(output);
  volume = parseVolumePrintout(output);
});

afterAll(async () => {
  await lab?.stop();
  await rm(dir, { recursive: true, force: true });
});

function machine(title: string): MachineBlock {
  const found = service.machines.find((block) => block.title === title);
  if (found === undefined) throw new Error(`the lab printed no "${title}" block`);
  return found;
}

/** Runs a block's slmgr lines in order, stopping at the first that fails. */
async function paste(block: MachineBlock, lines: readonly string[]): Promise<Call[]> {
  const calls: Call[] = [];
  for (const line of lines) {
    const call = await runLine(line, service.alias, block.home);
    calls.push(call);
    if (call.status !== 0) throw new Error(`${block.title}: "${line}" failed:\n${call.stderr}`);
  }
  return calls;
}

// What the phone activation page does with the Installation ID typed into it.
async function confirmationIdFor(installationId: string): Promise<string> {
  const res = await fetch(`${service.url}/v1/activations/phone`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ installationId }),
  });
  const answer = (await res.json()) as { activated: boolean; confirmationId?: string };
  expect({ status: res.status, activated: answer.activated }).toEqual({
    status: 200,
    activated: true,
  });
  return answer.confirmationId ?? '';
}

/** Runs client machine `i`'s printed lines; the last, /ato, reports the volume host's count. */
async function volumeClient(i: number): Promise<{ i: number; count: number; ato: Call }> {
  const lines = volume.commands(i);
  const home = volume.home(i);
  for (const line of lines.slice(0, -1)) {
    const call = await runLine(line, service.alias, home);
    if (call.status !== 0) throw new Error(`client ${i}: "${line}" failed:\n${call.stderr}`);
  }
  const ato = await runLine(lines.at(-1) ?? '', service.alias, home);
  const text = ato.stdout + ato.stderr;
  const count = /count below threshold \((\d+) of 25\)|Volume host count: (\d+)/.exec(text);
  if (count === null) throw new Error(`client ${i}: /ato reported no count:\n${text}`);
  return { i, count: Number(count[1] ?? count[2]), ato };
}

describe('pnpm start: the printed commands, pasted', () => {
  it('when the lab runs on chosen ports then every printed address names them', () => {
    const hostLine = machine('machine 3').commands.find((line) => line.startsWith('node '));

    expect(service.url).toBe(`http://127.0.0.1:${ports.service}`);
    expect(volume.probe(1)).toContain(` probe 127.0.0.1:${ports.kms} `);
    expect(volume.commands(1)).toContain(`node apps/cli/bin/slmgr.js /skms 127.0.0.1:${ports.kms}`);
    expect(hostLine).toMatch(new RegExp(`--port ${ports.kms + 1}$`));
  });

  it('when machine 1 activates online then /dlv shows it Licensed', async () => {
    const pc1 = machine('machine 1');

    const calls = await paste(pc1, pc1.commands);

    expect(calls.at(-1)?.stdout).toMatch(LICENSED);
  });

  it('when machine 2 types the Confirmation ID the phone page gives then /dli shows it Licensed', async () => {
    const pc2 = machine('machine 2');
    const atp = pc2.commands.findIndex((line) => line.includes('CONFIRMATION-ID'));
    expect(pc2.notes.join('\n')).toContain(`${service.url}/phone`);

    const before = await paste(pc2, pc2.commands.slice(0, atp));
    const iid = /Installation ID: ([\d-]+)/.exec(before.at(-1)?.stdout ?? '')?.[1] ?? '';
    const cid = await confirmationIdFor(iid);
    const after = await paste(
      pc2,
      pc2.commands.slice(atp).map((line) => line.replace('CONFIRMATION-ID', cid)),
    );

    expect(iid).toMatch(/^\d{6}(-\d{6}){8}$/);
    expect(after.at(-1)?.stdout).toMatch(LICENSED);
  });

  it('when machine 3 activates its volume host key then the printed second host answers clients', async () => {
    const kms1 = machine('machine 3');
    const hostLine = kms1.commands.find((line) => line.startsWith('node '));
    const port = Number(/--port (\d+)/.exec(hostLine ?? '')?.[1]);

    const calls = await paste(
      kms1,
      kms1.commands.filter((line) => line.startsWith('slmgr ')),
    );
    const host = startProcess(commandOf(hostLine ?? '', service.alias).slice(1));
    try {
      await host.until([/"host started"/], 15_000);
      const probe = volume.probe(1).replace(`127.0.0.1:${ports.kms} `, `127.0.0.1:${port} `);
      const answer = await runLine(probe, service.alias, kms1.home);

      expect(calls.at(-1)?.stdout).toContain('Product activated successfully');
      expect(answer.stdout).toMatch(/outcomes: below_threshold 1\n[\s\S]*result: ok/);
    } finally {
      await host.stop();
    }
    expect(await isListening(port)).toBe(false);
  });

  it('when the 25 printed client machines activate then the count rises and only the 25th is Licensed', async () => {
    const results: { i: number; count: number; ato: Call }[] = [];

    for (let first = 1; first <= volume.clients; first += BATCH) {
      const batch = Array.from({ length: BATCH }, (_, n) => first + n);
      results.push(
        ...(await Promise.all(batch.filter((i) => i <= volume.clients).map(volumeClient))),
      );
    }
    const licensed = results.filter(({ ato }) => ato.status === 0);
    const dli = await runLine('slmgr /dli', service.alias, volume.home(licensed[0]?.i ?? 0));

    expect(volume.clients).toBe(25);
    expect(results.map(({ count }) => count).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 25 }, (_, n) => n + 1),
    );
    for (let at = BATCH; at < results.length; at += BATCH) {
      const earlier = results.slice(at - BATCH, at).map(({ count }) => count);
      const later = results.slice(at, at + BATCH).map(({ count }) => count);
      expect(Math.min(...later)).toBeGreaterThan(Math.max(...earlier));
    }
    expect(licensed.map(({ count }) => count)).toEqual([25]);
    expect(dli.stdout).toMatch(LICENSED);
  }, 50_000);

  it('when a printed probe line is run then the volume host answers it', async () => {
    const answer = await runLine(volume.probe(1), service.alias, dir);

    expect(answer.status).toBe(0);
    expect(answer.stdout).toMatch(/highest count: \d+/);
  });

  it('when the lab is stopped then nothing listens on its ports any more', async () => {
    const code = await lab.stop();

    expect(code).toBe(0);
    expect(await isListening(ports.service)).toBe(false);
    expect(await isListening(ports.kms)).toBe(false);
  });
});
