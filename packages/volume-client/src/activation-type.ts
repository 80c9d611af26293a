import { type ActivationType, fail, ok, type Result } from '@slm/core';

/**
 * Whether `/ato` may activate against a volume host: the product's `/act-type` wins over the
 * machine's; type 3 (`/act-type 3`, `/stao`) allows token activation only.
 */
export function volumeActivationAllowed(
  machine: ActivationType,
  product: ActivationType | null,
): Result<true> {
  const type = product ?? machine;
  if (type !== 3) return ok(true);
  return fail(
    'activation.token_only',
    'volume activation is turned off (activation type 3, token only): activate with slmgr /fta THUMBPRINT, or allow it again with slmgr /act-type 0 (or /ctao)',
    { activationType: type },
  );
}
