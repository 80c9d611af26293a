import { describe, expect, it } from 'vitest';
import { IDS, makeVendor } from '../../test/fixtures.js';
import { generateSigningKey } from '../crypto.js';
import { signDocument } from '../documents/document.js';
import { unwrap } from '../result.js';
import { openCatalog, parseCatalog, signCatalog } from './catalog.js';
import { readInstalledCatalog } from './installed.js';
import { catalogSkus, findSkuByActivationId, findSkuByCode } from './lookup.js';

const vendor = makeVendor();

function editPayload(signed: string, edit: (payload: Record<string, unknown>) => void): string {
  const [version, kind, payload, signature] = signed.split('.');
  const json = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
  edit(json);
  return [version, kind, Buffer.from(JSON.stringify(json)).toString('base64url'), signature].join(
    '.',
  );
}

describe('catalog', () => {
  it('when a catalog is signed and opened then its SKUs come back with defaults filled in', () => {
    const sku = findSkuByActivationId(vendor.catalog, IDS.retail.toUpperCase())?.sku;
    expect(sku).toMatchObject({
      initialGraceDays: 30,
      rearmLimit: 3,
      volumeThreshold: 25,
      volumeValidityDays: 180,
    });
    expect(sku?.additionalGraceDays).toEqual({ volume: 30, retail: 3 });
    expect(findSkuByCode(vendor.catalog, 12)?.sku.volumeThreshold).toBe(5);
    expect(findSkuByCode(vendor.catalog, 999)).toBeNull();
    expect(catalogSkus(vendor.catalog)).toHaveLength(5);
  });

  it('when any field is edited after signing then the catalog is refused', () => {
    const edited = editPayload(vendor.signed, (payload) => {
      (payload.products as { skus: { initialGraceDays: number }[] }[])[0]!
        .skus[0]!.initialGraceDays = 3650;
    });
    expect(openCatalog(edited).ok).toBe(false);
    expect(unwrapError(openCatalog(edited))).toBe('catalog.signature');
  });

  it('when the catalog is signed by another vendor key then a machine trusting ours refuses it', () => {
    const other = makeVendor();
    expect(unwrapError(openCatalog(other.signed, vendor.keys.publicKey))).toBe('catalog.untrusted');
    expect(openCatalog(vendor.signed, vendor.keys.publicKey).ok).toBe(true);
  });

  it('when the text is not a catalog document then it is malformed', () => {
    expect(unwrapError(openCatalog('hello'))).toBe('catalog.malformed');
    const grant = signDocument('grant', {}, vendor.keys.privateKeyPem);
    expect(unwrapError(openCatalog(grant))).toBe('catalog.malformed');
  });

  it('when a field is invalid then the error names it', () => {
    const result = parseCatalog({ ...vendor.catalog, serviceUrl: 'not a url' });
    expect(result.ok ? '' : result.error.message).toMatch(/^serviceUrl/);
    const bad = parseCatalog({
      ...vendor.catalog,
      vendor: { name: 'x', publicKey: '!'.repeat(43) },
    });
    expect(bad.ok ? '' : bad.error.message).toMatch(/not an Ed25519 public key/);
  });

  it('when two SKUs share an activation ID or a SKU code then the catalog is refused', () => {
    const product = vendor.catalog.products[0]!;
    const twice = {
      ...vendor.catalog,
      products: [{ ...product, skus: [product.skus[0]!, product.skus[0]!] }],
    };
    const result = parseCatalog(twice);
    expect(result.ok ? '' : result.error.message).toMatch(/duplicate activationId/);
  });

  it('when a catalog names a public key other than the signing key then signing refuses', () => {
    const result = signCatalog(vendor.catalog, generateSigningKey().privateKeyPem);
    expect(unwrapError(result)).toBe('catalog.untrusted');
    expect(unwrap(signCatalog(vendor.catalog, vendor.keys.privateKeyPem))).toMatch(
      /^slm1\.catalog\./,
    );
  });
});

function unwrapError(result: { ok: boolean; error?: { code: string } }): string | undefined {
  return result.ok ? undefined : result.error?.code;
}

describe('installed catalogs', () => {
  it('when an installed catalog is read again then it matches what full validation gave', () => {
    expect(readInstalledCatalog(vendor.signed, vendor.keys.publicKey)).toEqual({
      ok: true,
      value: vendor.catalog,
    });
  });

  it('when an installed catalog was edited, is foreign or is not a catalog then it is refused', () => {
    const edited = editPayload(vendor.signed, (payload) => {
      payload.serviceUrl = 'http://evil.example/';
    });
    expect(unwrapError(readInstalledCatalog(edited))).toBe('catalog.signature');
    expect(unwrapError(readInstalledCatalog(makeVendor().signed, vendor.keys.publicKey))).toBe(
      'catalog.untrusted',
    );
    expect(unwrapError(readInstalledCatalog('slm1.catalog.e30.AA'))).toBe('catalog.malformed');
    expect(unwrapError(readInstalledCatalog('nothing'))).toBe('catalog.malformed');
  });
});
