import { describe, expect, it } from 'vitest';
import { makeVendor } from '../../test/fixtures.js';
import type { Catalog } from './schema.js';
import { catalogSuccession } from './succession.js';

const vendor = makeVendor();
const at = (catalog: Catalog, issuedAt: string): Catalog => ({ ...catalog, issuedAt });
const LATER = at(vendor.catalog, '2025-06-01T00:00:00Z');
const EARLIER = at(vendor.catalog, '2025-01-01T00:00:00Z');

describe('catalog succession', () => {
  it('when the vendor issued the installed catalog later then the incoming one is older', () => {
    expect(catalogSuccession([LATER], EARLIER)).toEqual({
      verdict: 'older',
      installedIssuedAt: LATER.issuedAt,
      issuedAt: EARLIER.issuedAt,
    });
  });

  it('when the same catalog comes again then it is the same, and a later one is newer', () => {
    expect(catalogSuccession([EARLIER], EARLIER).verdict).toBe('same');
    expect(catalogSuccession([EARLIER], LATER).verdict).toBe('newer');
  });

  it('when another vendor key or no shared product then it is unrelated, whatever its date', () => {
    const other = makeVendor();
    expect(catalogSuccession([LATER], at(other.catalog, EARLIER.issuedAt)).verdict).toBe(
      'unrelated',
    );
    const apart = { ...EARLIER, products: [] } as Catalog;
    expect(catalogSuccession([LATER], apart).verdict).toBe('unrelated');
    expect(catalogSuccession([], EARLIER).verdict).toBe('unrelated');
  });
});
