import fc from 'fast-check';
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
  volumeGrant,
} from '../../test/fixtures.js';
import { addGrant } from './add-grant.js';
import { evaluate } from './evaluate.js';
import { installKey, observe, rearm, uninstallKey } from './operations.js';
import { LICENCE_STATES, type LicenceStatus, type MachineState, STATUS_REASONS } from './types.js';

const vendor = makeVendor();
const otherMachine = { ...MACHINE, 'machine-id': 'm-9', hostname: 'elsewhere', cpu: 'cpu-z' };

type Event =
  | { type: 'install'; sku: 'retail' | 'volume' }
  | { type: 'uninstall' }
  | { type: 'rearm' }
  | { type: 'activate' }
  | { type: 'look'; elsewhere: boolean }
  | { type: 'clock'; delta: number };

const eventArb: fc.Arbitrary<Event> = fc.oneof(
  fc.record({
    type: fc.constant('install' as const),
    sku: fc.constantFrom('retail' as const, 'volume' as const),
  }),
  fc.constant({ type: 'uninstall' as const }),
  fc.constant({ type: 'rearm' as const }),
  fc.constant({ type: 'activate' as const }),
  fc.record({ type: fc.constant('look' as const), elsewhere: fc.boolean() }),
  fc.record({
    type: fc.constant('clock' as const),
    delta: fc.integer({ min: -60 * DAY, max: 60 * DAY }),
  }),
);

interface World {
  state: MachineState;
  now: number;
  id: string;
}

/** Applies one event; refused operations leave the state as it was, as adapters do. */
function apply(world: World, event: Event): World {
  const ctx = contextFor(vendor, world.id, world.now);
  switch (event.type) {
    case 'install': {
      const [channel, code, id] =
        event.sku === 'retail'
          ? (['retail', 10, IDS.retail] as const)
          : (['volume_client', 11, IDS.volume] as const);
      const result = installKey(
        world.state,
        [vendor.catalog],
        vendor.mint(channel, code),
        world.now,
      );
      return result.ok ? { ...world, state: result.value.state, id } : world;
    }
    case 'uninstall': {
      const result = uninstallKey(world.state, world.id);
      return result.ok ? { ...world, state: result.value.state } : world;
    }
    case 'rearm': {
      const result = rearm(world.state, [vendor.catalog], world.now, () =>
        new Uint8Array(16).fill(world.now % 251),
      );
      return result.ok ? { ...world, state: result.value.state } : world;
    }
    case 'activate':
      return activate(world, ctx);
    case 'look':
      return {
        ...world,
        state: observe(
          world.state,
          contextFor(vendor, world.id, world.now, event.elsewhere ? otherMachine : MACHINE),
        ),
      };
    case 'clock':
      return { ...world, now: world.now + event.delta };
  }
}

function activate(world: World, ctx: ReturnType<typeof contextFor>): World {
  const key = world.state.products[world.id]?.key;
  if (key == null) return world;
  const grant =
    key.channel === 'volume_client'
      ? volumeGrant(vendor, world.state, world.id, world.now, { validityDays: 20 })
      : onlineGrant(vendor, key, world.id, world.now);
  const result = addGrant(world.state, grant, ctx);
  return result.ok ? { ...world, state: result.value.state } : world;
}

function statusOf(world: World): LicenceStatus {
  return evaluate(world.state, contextFor(vendor, world.id, world.now));
}

const start = (): World => ({ state: freshMachine(), now: T0, id: IDS.retail });

describe('licence invariants', () => {
  it('when any sequence of events happens then every status is a valid state', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 25 }), (events) => {
        let world = start();
        for (const event of events) {
          world = apply(world, event);
          const status = statusOf(world);
          expect(status.code).toBe(LICENCE_STATES[status.state]);
          expect(STATUS_REASONS).toContain(status.reason);
          expect(status.trustedTime).toBeGreaterThanOrEqual(world.state.trustedTime);
          if (status.endsAt !== null) expect(status.endsAt).toBeGreaterThan(status.trustedTime);
          if (status.state === 'notification' || status.state === 'unlicensed')
            expect(status.endsAt).toBeNull();
        }
      }),
      { numRuns: 150 },
    );
  });

  it('when any sequence of events happens then the remaining rearm count never rises', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 25 }), (events) => {
        let world = start();
        let used = 0;
        for (const event of events) {
          world = apply(world, event);
          const now = Object.values(world.state.products).reduce(
            (sum, product) => sum + product.rearmsUsed,
            0,
          );
          expect(now).toBeGreaterThanOrEqual(used);
          used = now;
        }
      }),
      { numRuns: 150 },
    );
  });

  it('when only the clock moves then no grace gets longer and no ended grace comes back', () => {
    const clockArb = fc.array(fc.integer({ min: -90 * DAY, max: 90 * DAY }), {
      minLength: 1,
      maxLength: 30,
    });
    fc.assert(
      fc.property(
        fc.constantFrom('retail' as const, 'volume' as const),
        fc.boolean(),
        clockArb,
        (sku, activated, deltas) => {
          let world = apply(start(), { type: 'install', sku });
          if (activated) world = apply(world, { type: 'activate' });
          let previous = statusOf(world);
          for (const delta of deltas) {
            world = apply(apply(world, { type: 'clock', delta }), {
              type: 'look',
              elsewhere: false,
            });
            const status = statusOf(world);
            if (
              previous.endsAt !== null &&
              status.endsAt !== null &&
              status.state === previous.state
            ) {
              expect(status.endsAt).toBeLessThanOrEqual(previous.endsAt);
            }
            if (previous.state === 'notification') expect(status.state).toBe('notification');
            previous = status;
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
