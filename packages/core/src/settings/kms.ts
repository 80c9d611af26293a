import type { Result } from '../result.js';
import { ok } from '../result.js';
import type { KmsAddress } from './parse.js';
import type { ActivationType, KmsSettings, SettingsState, SettingsUpdate } from './types.js';
import { diffSettings, productSettings, updateMachine, updateProduct } from './update.js';

/** Pins a volume host (`/skms`); `:port` changes only the port, no port means the default. */
export function setKms<S extends SettingsState>(
  state: S,
  address: KmsAddress,
  activationId: string | null = null,
): Result<SettingsUpdate<S>> {
  return changeKms(state, activationId, (kms) =>
    address.kind === 'port'
      ? { ...kms, port: address.port }
      : { ...kms, host: address.host, port: address.port },
  );
}

/** Clears the pinned host name and port (`/ckms`): DNS discovery again. */
export function clearKms<S extends SettingsState>(
  state: S,
  activationId: string | null = null,
): Result<SettingsUpdate<S>> {
  return changeKms(state, activationId, (kms) => ({ ...kms, host: null, port: null }));
}

/** Sets the domain searched for SRV records (`/skms-domain`). */
export function setKmsDomain<S extends SettingsState>(
  state: S,
  domain: string,
  activationId: string | null = null,
): Result<SettingsUpdate<S>> {
  return changeKms(state, activationId, (kms) => ({ ...kms, domain }));
}

/** Clears the SRV discovery domain (`/ckms-domain`). */
export function clearKmsDomain<S extends SettingsState>(
  state: S,
  activationId: string | null = null,
): Result<SettingsUpdate<S>> {
  return changeKms(state, activationId, (kms) => ({ ...kms, domain: null }));
}

/** Turns volume host caching on (`/skhc`) or off (`/ckhc`). */
export function setHostCaching<S extends SettingsState>(
  state: S,
  hostCaching: boolean,
): Result<SettingsUpdate<S>> {
  const before = state.settings;
  const changes = diffSettings('', { hostCaching: before.hostCaching }, { hostCaching });
  return ok(updateMachine(state, { ...before, hostCaching }, changes));
}

/** Sets which volume activation methods are allowed (`/act-type`, `/stao`, `/ctao`). */
export function setActivationType<S extends SettingsState>(
  state: S,
  activationType: ActivationType,
  activationId: string | null = null,
): Result<SettingsUpdate<S>> {
  if (activationId === null) {
    const before = state.settings;
    const changes = diffSettings('', { activationType: before.activationType }, { activationType });
    return ok(updateMachine(state, { ...before, activationType }, changes));
  }
  const current = productSettings(state, activationId);
  if (!current.ok) return current;
  const next = { ...current.value, activationType };
  const changes = diffSettings(
    '',
    { activationType: current.value.activationType },
    { activationType },
  );
  return ok(updateProduct(state, activationId, next, changes));
}

function changeKms<S extends SettingsState>(
  state: S,
  activationId: string | null,
  change: (kms: KmsSettings) => KmsSettings,
): Result<SettingsUpdate<S>> {
  if (activationId === null) {
    const before = state.settings;
    const kms = change(before.kms);
    return ok(
      updateMachine(state, { ...before, kms }, diffSettings('kms.', { ...before.kms }, { ...kms })),
    );
  }
  const current = productSettings(state, activationId);
  if (!current.ok) return current;
  const kms = change(current.value.kms);
  const changes = diffSettings('kms.', { ...current.value.kms }, { ...kms });
  return ok(updateProduct(state, activationId, { ...current.value, kms }, changes));
}
