import { z } from 'zod';
import { CHANNELS } from '../keys/index.js';

/** A GUID in its 8-4-4-4-12 hex form, as activation IDs are written. */
export const guidSchema = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'expected a GUID')
  .transform((id) => id.toLowerCase());

const days = (fallback: number) => z.number().int().min(0).max(3650).default(fallback);

/** One SKU: the unit that an activation ID names and a product key belongs to. */
export const skuSchema = z
  .object({
    activationId: guidSchema,
    skuCode: z.number().int().min(0).max(65_535),
    name: z.string().min(1).max(200),
    description: z.string().max(500).default(''),
    channels: z.array(z.enum(CHANNELS)).min(1),
    serverClass: z.boolean().default(false),
    initialGraceDays: days(30),
    rearmLimit: z.number().int().min(0).max(1000).default(3),
    volumeThreshold: z.number().int().min(1).max(1000).optional(),
    volumeValidityDays: days(180),
    additionalGraceDays: z
      .object({ volume: days(30), retail: days(3) })
      .default({ volume: 30, retail: 3 }),
    hardwareTolerance: z.number().int().min(0).max(16).default(1),
    makActivationLimit: z.number().int().min(1).max(1_000_000).default(5),
  })
  .transform((sku) => ({
    ...sku,
    volumeThreshold: sku.volumeThreshold ?? (sku.serverClass ? 5 : 25),
  }));

/** A product and its SKUs. */
export const productSchema = z.object({
  productId: guidSchema,
  name: z.string().min(1).max(200),
  skus: z.array(skuSchema).min(1),
});

/** The unsigned catalog a vendor edits; `signCatalog` turns it into a signed document. */
export const catalogSchema = z
  .object({
    version: z.literal(1),
    vendor: z.object({ name: z.string().min(1).max(200), publicKey: z.string().min(43).max(44) }),
    serviceUrl: z.url(),
    issuedAt: z.iso.datetime(),
    products: z.array(productSchema).min(1),
  })
  .superRefine((catalog, ctx) => {
    const skus = catalog.products.flatMap((product) => product.skus);
    reportDuplicates(
      skus.map((sku) => sku.activationId),
      'activationId',
      ctx,
    );
    reportDuplicates(
      skus.map((sku) => String(sku.skuCode)),
      'skuCode',
      ctx,
    );
  });

/** A verified catalog. */
export type Catalog = z.output<typeof catalogSchema>;
/** A catalog as a vendor writes it (defaults not yet filled in). */
export type CatalogInput = z.input<typeof catalogSchema>;
/** A product of a catalog. */
export type Product = Catalog['products'][number];
/** A SKU of a catalog, with its defaults filled in. */
export type Sku = Product['skus'][number];

function reportDuplicates(values: string[], field: string, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) ctx.addIssue({ code: 'custom', message: `duplicate ${field} ${value}` });
    seen.add(value);
  }
}
