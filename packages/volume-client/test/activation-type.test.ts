import { describe, expect, it } from 'vitest';
import { volumeActivationAllowed } from '../src/index.js';

describe('whether /ato may use a volume host', () => {
  it.each([
    [0, null, true],
    [2, null, true],
    [3, null, false],
    [3, 0, true],
    [0, 3, false],
  ] as const)(
    'when the machine type is %s and the product type %s then allowed is %s',
    (machine, product, allowed) => {
      expect(volumeActivationAllowed(machine, product).ok).toBe(allowed);
    },
  );

  it('when token-only is set then the refusal has its code and points to /fta', () => {
    const result = volumeActivationAllowed(3, null);
    expect(result.ok ? null : [result.error.code, result.error.message]).toEqual([
      'activation.token_only',
      expect.stringContaining('slmgr /fta'),
    ]);
  });
});
