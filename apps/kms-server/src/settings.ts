import { existsSync } from 'node:fs';
import { DEFAULT_MACHINE_SETTINGS, type HostSettings, ok, type Result } from '@slm/core';
import { openMachineStore, storePaths } from '@slm/machine-store';
import { z } from 'zod';

const hostSettingsSchema = z.object({
  activationInterval: z.number().int().min(15).max(43_200),
  renewalInterval: z.number().int().min(15).max(43_200),
  port: z.number().int().min(1).max(65_535),
  dnsPublishing: z.boolean(),
  lowPriority: z.boolean(),
});

/**
 * Reads the volume host settings that `slmgr /sai /sri /sprt /sdns /cdns /spri /cpri` wrote to
 * the machine store; a machine whose store has never been written uses the defaults.
 */
export function loadHostSettings(home: string, now: number): Result<HostSettings> {
  if (!existsSync(storePaths(home).database)) return ok(DEFAULT_MACHINE_SETTINGS.host);
  const store = openMachineStore({ home, access: 'read', now });
  if (!store.ok) return store;
  try {
    const state = store.value.read((view) => view.state());
    if (!state.ok) return state;
    return ok(hostSettingsOf(state.value));
  } finally {
    store.value.close();
  }
}

function hostSettingsOf(state: unknown): HostSettings {
  const host = (state as { settings?: { host?: unknown } } | null)?.settings?.host;
  const parsed = hostSettingsSchema.safeParse({
    ...DEFAULT_MACHINE_SETTINGS.host,
    ...(host ?? {}),
  });
  return parsed.success ? parsed.data : DEFAULT_MACHINE_SETTINGS.host;
}
