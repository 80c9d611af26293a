import { describe, expect, it } from 'vitest';
import { orderSrv, type SrvRecord, seededRandom } from '../src/index.js';

const record = (name: string, priority: number, weight: number): SrvRecord => ({
  name,
  port: 1688,
  priority,
  weight,
});

describe('RFC 2782 ordering', () => {
  it('when priorities differ then every lower priority comes before any higher one', () => {
    const records = [
      record('c', 20, 5),
      record('a', 0, 1),
      record('b', 10, 100),
      record('a2', 0, 50),
    ];
    const ordered = orderSrv(records, seededRandom(1)).map((entry) => entry.priority);
    expect(ordered).toEqual([0, 0, 10, 20]);
  });

  it('when the same seed is used then the order repeats, and every record appears once', () => {
    const records = ['a', 'b', 'c', 'd'].map((name, i) => record(name, 0, 10 * (i + 1)));
    const first = orderSrv(records, seededRandom(42)).map((entry) => entry.name);
    expect(orderSrv(records, seededRandom(42)).map((entry) => entry.name)).toEqual(first);
    expect([...first].sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('when a record has weight 0 beside weighted ones then it is rarely first but still listed', () => {
    const random = seededRandom(9);
    let zeroFirst = 0;
    for (let i = 0; i < 1000; i++) {
      const ordered = orderSrv([record('zero', 0, 0), record('heavy', 0, 100)], random);
      if (ordered[0]?.name === 'zero') zeroFirst++;
      expect(ordered).toHaveLength(2);
    }
    expect(zeroFirst).toBeLessThan(30);
  });
});
