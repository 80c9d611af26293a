/** One SRV record as discovery uses it. */
export interface SrvRecord {
  readonly name: string;
  readonly port: number;
  readonly priority: number;
  readonly weight: number;
}

/** A source of uniform numbers in [0, 1): Math.random, or a seeded one in tests. */
export type RandomSource = () => number;

/**
 * Orders SRV records as RFC 2782 says: lowest priority first; within a priority, repeatedly pick
 * one at random with probability proportional to its weight (zero-weight records first in the
 * running sum, so they are chosen rarely but not never).
 */
export function orderSrv(records: readonly SrvRecord[], random: RandomSource): SrvRecord[] {
  const priorities = [...new Set(records.map((record) => record.priority))].sort((a, b) => a - b);
  return priorities.flatMap((priority) =>
    weightedOrder(
      records.filter((record) => record.priority === priority),
      random,
    ),
  );
}

function weightedOrder(group: readonly SrvRecord[], random: RandomSource): SrvRecord[] {
  const left = [...group].sort((a, b) => (a.weight === 0 ? 0 : 1) - (b.weight === 0 ? 0 : 1));
  const ordered: SrvRecord[] = [];
  while (left.length > 0) {
    const total = left.reduce((sum, record) => sum + record.weight, 0);
    const pick = Math.floor(random() * (total + 1));
    let running = 0;
    const index = left.findIndex((record) => {
      running += record.weight;
      return running >= pick;
    });
    ordered.push(...left.splice(Math.max(index, 0), 1));
  }
  return ordered;
}

/** A small seeded generator (mulberry32) for repeatable discovery in tests and the probe. */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
