import { describe, expect, it } from 'vitest';
import {
  contextFor,
  DAY,
  freshMachine,
  IDS,
  MACHINE,
  makeVendor,
  onlineGrant,
  T0,
  type Vendor,
  volumeGrant,
} from '../../test/fixtures.js';
import { generateSigningKey } from '../crypto.js';
import type { StoredGrant } from '../grants/schema.js';
import type { Channel } from '../keys/index.js';
import { unwrap } from '../result.js';
import { addGrant } from './add-grant.js';
import { evaluate } from './evaluate.js';
import { installKey, observe, rearm, uninstallKey } from './operations.js';
import type { LicenceStateName, MachineState, StatusReason } from './types.js';

const vendor = makeVendor();
const stranger = generateSigningKey();

type Step = (state: MachineState, v: Vendor) => MachineState;

const install =
  (channel: Channel, skuCode: number, at = T0): Step =>
  (state, v) =>
    unwrap(installKey(state, [v.catalog], v.mint(channel, skuCode), at)).state;

/** Installs a key and stores a grant made for it (grants are bound to the key). */
const activate =
  (
    channel: Channel,
    skuCode: number,
    id: string,
    grant: (key: ReturnType<Vendor['mint']>, s: MachineState) => StoredGrant,
    at = T0,
  ): Step =>
  (state, v) => {
    const key = v.mint(channel, skuCode);
    const installed = unwrap(installKey(state, [v.catalog], key, at)).state;
    return unwrap(addGrant(installed, grant(key, installed), contextFor(v, id, at))).state;
  };

/** Stores a grant without checking it, as a hand-edited store would. */
const plant =
  (
    channel: Channel,
    skuCode: number,
    id: string,
    grant: (key: ReturnType<Vendor['mint']>, s: MachineState) => StoredGrant,
  ): Step =>
  (state, v) => {
    const key = v.mint(channel, skuCode);
    const installed = unwrap(installKey(state, [v.catalog], key, T0)).state;
    const product = installed.products[id];
    if (product === undefined) throw new Error('not installed');
    return {
      ...installed,
      products: { ...installed.products, [id]: { ...product, grants: [grant(key, installed)] } },
    };
  };

const look =
  (id: string, at: number, machine = MACHINE): Step =>
  (state, v) =>
    observe(state, contextFor(v, id, at, machine));

const doRearm =
  (at: number): Step =>
  (state, v) =>
    unwrap(rearm(state, [v.catalog], at, () => new Uint8Array(16).fill(7))).state;

const tamper = (grant: StoredGrant): StoredGrant =>
  'document' in grant ? { ...grant, document: grant.document.replace(/\.(.)/, '.X$1') } : grant;

interface Row {
  name: string;
  id: string;
  steps: Step[];
  at: number;
  machine?: Record<string, string>;
  expect: [LicenceStateName, StatusReason, number | null];
}

const movedMachine = { ...MACHINE, 'machine-id': 'm-2', hostname: 'other' };

const rows: Row[] = [
  { name: 'no key', id: IDS.retail, steps: [], at: T0, expect: ['unlicensed', 'no_key', null] },
  {
    name: 'key just installed',
    id: IDS.retail,
    steps: [install('retail', 10)],
    at: T0 + DAY,
    expect: ['initial_grace', 'trial', T0 + 30 * DAY],
  },
  {
    name: 'trial ended',
    id: IDS.retail,
    steps: [install('retail', 10)],
    at: T0 + 30 * DAY,
    expect: ['notification', 'grace_expired', null],
  },
  {
    name: 'activated online',
    id: IDS.retail,
    steps: [activate('retail', 10, IDS.retail, (k) => onlineGrant(vendor, k, IDS.retail, T0))],
    at: T0 + 400 * DAY,
    expect: ['licensed', 'activated', null],
  },
  {
    name: 'activated after trial ended',
    id: IDS.retail,
    steps: [
      install('retail', 10),
      activate(
        'retail',
        10,
        IDS.retail,
        (k) => onlineGrant(vendor, k, IDS.retail, T0 + 40 * DAY),
        T0 + 40 * DAY,
      ),
    ],
    at: T0 + 41 * DAY,
    expect: ['licensed', 'activated', null],
  },
  {
    name: 'time-based licence running',
    id: IDS.retail,
    steps: [
      activate('time_based', 10, IDS.retail, (k) =>
        onlineGrant(vendor, k, IDS.retail, T0, { expiresAt: T0 + 10 * DAY }),
      ),
    ],
    at: T0 + 5 * DAY,
    expect: ['licensed', 'time_based', T0 + 10 * DAY],
  },
  {
    name: 'time-based licence ended',
    id: IDS.retail,
    steps: [
      activate('time_based', 10, IDS.retail, (k) =>
        onlineGrant(vendor, k, IDS.retail, T0, { expiresAt: T0 + 10 * DAY }),
      ),
    ],
    at: T0 + 10 * DAY,
    expect: ['notification', 'licence_expired', null],
  },
  {
    name: 'volume activated',
    id: IDS.volume,
    steps: [
      activate('volume_client', 11, IDS.volume, (_k, s) => volumeGrant(vendor, s, IDS.volume, T0)),
    ],
    at: T0 + 100 * DAY,
    expect: ['licensed', 'volume_activated', T0 + 180 * DAY],
  },
  {
    name: 'volume validity lapsed',
    id: IDS.volume,
    steps: [
      activate('volume_client', 11, IDS.volume, (_k, s) => volumeGrant(vendor, s, IDS.volume, T0)),
    ],
    at: T0 + 190 * DAY,
    expect: ['additional_grace', 'volume_expired', T0 + 210 * DAY],
  },
  {
    name: 'volume grace ended',
    id: IDS.volume,
    steps: [
      activate('volume_client', 11, IDS.volume, (_k, s) => volumeGrant(vendor, s, IDS.volume, T0)),
    ],
    at: T0 + 210 * DAY,
    expect: ['notification', 'grace_expired', null],
  },
  {
    name: 'edited grant',
    id: IDS.retail,
    steps: [
      plant('retail', 10, IDS.retail, (k) => tamper(onlineGrant(vendor, k, IDS.retail, T0))),
      look(IDS.retail, T0 + DAY),
    ],
    at: T0 + 2 * DAY,
    expect: ['non_genuine_grace', 'grant_not_genuine', T0 + 31 * DAY],
  },
  {
    name: 'grant from another vendor key',
    id: IDS.retail,
    steps: [
      plant('retail', 10, IDS.retail, (k) =>
        onlineGrant(vendor, k, IDS.retail, T0, { signer: stranger.privateKeyPem }),
      ),
      look(IDS.retail, T0),
    ],
    at: T0 + DAY,
    expect: ['non_genuine_grace', 'grant_not_genuine', T0 + 30 * DAY],
  },
  {
    name: 'non-genuine grace ended',
    id: IDS.retail,
    steps: [
      plant('retail', 10, IDS.retail, (k) => tamper(onlineGrant(vendor, k, IDS.retail, T0))),
      look(IDS.retail, T0),
    ],
    at: T0 + 30 * DAY,
    expect: ['notification', 'non_genuine', null],
  },
  {
    name: 'hardware changed beyond tolerance',
    id: IDS.retail,
    steps: [
      activate('retail', 10, IDS.retail, (k) => onlineGrant(vendor, k, IDS.retail, T0)),
      look(IDS.retail, T0 + DAY, movedMachine),
    ],
    at: T0 + 2 * DAY,
    machine: movedMachine,
    expect: ['additional_grace', 'hardware_changed', T0 + 4 * DAY],
  },
  {
    name: 'hardware grace ended',
    id: IDS.retail,
    steps: [
      activate('retail', 10, IDS.retail, (k) => onlineGrant(vendor, k, IDS.retail, T0)),
      look(IDS.retail, T0 + DAY, movedMachine),
    ],
    at: T0 + 4 * DAY,
    machine: movedMachine,
    expect: ['notification', 'grace_expired', null],
  },
  {
    name: 'one component changed (within tolerance)',
    id: IDS.retail,
    steps: [activate('retail', 10, IDS.retail, (k) => onlineGrant(vendor, k, IDS.retail, T0))],
    at: T0 + DAY,
    machine: { ...MACHINE, hostname: 'renamed' },
    expect: ['licensed', 'activated', null],
  },
  {
    name: 'vendor extension',
    id: IDS.retail,
    steps: [
      install('retail', 10),
      activate('retail', 10, IDS.retail, (k) =>
        onlineGrant(vendor, k, IDS.retail, T0, { type: 'extension', expiresAt: T0 + 60 * DAY }),
      ),
    ],
    at: T0 + 45 * DAY,
    expect: ['extended_grace', 'vendor_extension', T0 + 60 * DAY],
  },
  {
    name: 'vendor extension ended',
    id: IDS.retail,
    steps: [
      activate('retail', 10, IDS.retail, (k) =>
        onlineGrant(vendor, k, IDS.retail, T0, { type: 'extension', expiresAt: T0 + 60 * DAY }),
      ),
    ],
    at: T0 + 60 * DAY,
    expect: ['notification', 'grace_expired', null],
  },
  {
    name: 'rearm after trial ended',
    id: IDS.retail,
    steps: [install('retail', 10), look(IDS.retail, T0 + 35 * DAY), doRearm(T0 + 35 * DAY)],
    at: T0 + 36 * DAY,
    expect: ['initial_grace', 'trial', T0 + 65 * DAY],
  },
  {
    name: 'rearm drops volume activation',
    id: IDS.volume,
    steps: [
      activate('volume_client', 11, IDS.volume, (_k, s) => volumeGrant(vendor, s, IDS.volume, T0)),
      doRearm(T0 + DAY),
    ],
    at: T0 + 2 * DAY,
    expect: ['initial_grace', 'trial', T0 + 31 * DAY],
  },
  {
    name: 'key uninstalled',
    id: IDS.retail,
    steps: [
      activate('retail', 10, IDS.retail, (k) => onlineGrant(vendor, k, IDS.retail, T0)),
      (s) => unwrap(uninstallKey(s, IDS.retail)).state,
    ],
    at: T0 + DAY,
    expect: ['unlicensed', 'no_key', null],
  },
  {
    name: 'reinstalling keeps the trial start',
    id: IDS.retail,
    steps: [
      install('retail', 10),
      (s) => unwrap(uninstallKey(s, IDS.retail)).state,
      install('retail', 10, T0 + 20 * DAY),
    ],
    at: T0 + 21 * DAY,
    expect: ['initial_grace', 'trial', T0 + 30 * DAY],
  },
  {
    name: 'another key replaces the activated one',
    id: IDS.retail,
    steps: [
      activate('retail', 10, IDS.retail, (k) => onlineGrant(vendor, k, IDS.retail, T0)),
      install('oem', 10, T0 + DAY),
    ],
    at: T0 + 2 * DAY,
    expect: ['initial_grace', 'trial', T0 + 30 * DAY],
  },
  {
    name: 'clock moved back cannot lengthen the trial',
    id: IDS.retail,
    steps: [install('retail', 10), look(IDS.retail, T0 + 25 * DAY)],
    at: T0 + DAY,
    expect: ['initial_grace', 'trial', T0 + 30 * DAY],
  },
  {
    name: 'clock set forward then back still counts the trial down',
    id: IDS.retail,
    steps: [
      look(IDS.retail, T0 + 1000 * DAY),
      install('retail', 10, T0),
      look(IDS.retail, T0 + 10 * DAY),
    ],
    at: T0 + 10 * DAY,
    expect: ['initial_grace', 'trial', T0 + 1030 * DAY],
  },
  {
    name: 'clock set forward then back ends the trial after 30 real days',
    id: IDS.retail,
    steps: [look(IDS.retail, T0 + 1000 * DAY), install('retail', 10, T0)],
    at: T0 + 30 * DAY,
    expect: ['notification', 'grace_expired', null],
  },
  {
    name: 'clock moved back cannot revive an ended trial',
    id: IDS.retail,
    steps: [install('retail', 10), look(IDS.retail, T0 + 31 * DAY)],
    at: T0 + DAY,
    expect: ['notification', 'grace_expired', null],
  },
];

describe('licence transitions: (state, event, instant) → (state, reason, end)', () => {
  it.each(rows)('when $name then the status is as expected', (row) => {
    const state = row.steps.reduce((current, step) => step(current, vendor), freshMachine());
    const status = evaluate(state, contextFor(vendor, row.id, row.at, row.machine));
    expect([status.state, status.reason, status.endsAt]).toEqual(row.expect);
  });
});

describe('clock moved back', () => {
  it('when the clock reads behind trusted time then the status says so and counts from trusted time', () => {
    const state = [install('retail', 10), look(IDS.retail, T0 + 25 * DAY)].reduce(
      (s, step) => step(s, vendor),
      freshMachine(),
    );
    const status = evaluate(state, contextFor(vendor, IDS.retail, T0 + DAY));
    expect(status.clockMovedBack).toBe(true);
    expect(status.trustedTime).toBe(T0 + 25 * DAY);
    expect(observe(state, contextFor(vendor, IDS.retail, T0 + DAY)).clockMovedBackAt).toBe(
      T0 + DAY,
    );
  });

  it('when a grant carries a later server time then trusted time rises to it', () => {
    const key = vendor.mint('retail', 10);
    const installed = unwrap(installKey(freshMachine(), [vendor.catalog], key, T0)).state;
    const grant = onlineGrant(vendor, key, IDS.retail, T0 + 5 * DAY);
    const activated = unwrap(addGrant(installed, grant, contextFor(vendor, IDS.retail, T0))).state;
    expect(activated.trustedTime).toBe(T0 + 5 * DAY);
  });
});
