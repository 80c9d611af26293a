import type { Result } from '../result.js';
import { fail, ok } from '../result.js';
import type { HostSettings, SettingsState, SettingsUpdate } from './types.js';
import { diffSettings, updateMachine } from './update.js';

/** A change to the volume host's settings: one field and its already validated value. */
export type HostSettingChange =
  | { readonly setting: 'activationInterval' | 'renewalInterval' | 'port'; readonly value: number }
  | { readonly setting: 'dnsPublishing' | 'lowPriority'; readonly value: boolean };

/**
 * Changes a setting of the volume host process (`/sai /sri /sprt /sdns /cdns /spri /cpri`);
 * refused with setting.not_volume_host unless a volume host key is installed.
 */
export function setHostSetting<S extends SettingsState>(
  state: S,
  change: HostSettingChange,
  context: { readonly volumeHostKeyInstalled: boolean },
): Result<SettingsUpdate<S>> {
  if (!context.volumeHostKeyInstalled) {
    return fail(
      'setting.not_volume_host',
      'this machine has no volume host key installed, so it runs no volume host: install one with slmgr /ipk first; nothing changed',
      { setting: change.setting },
    );
  }
  const before = state.settings;
  const host: HostSettings = { ...before.host, [change.setting]: change.value };
  const changes = diffSettings('host.', { ...before.host }, { ...host });
  return ok(updateMachine(state, { ...before, host }, changes));
}
