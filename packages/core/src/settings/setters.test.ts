import { describe, expect, it } from 'vitest';
import { DEFAULT_MACHINE_SETTINGS } from '../licence/defaults.js';
import type { Result } from '../result.js';
import { setHostSetting } from './host.js';
import {
  clearKms,
  clearKmsDomain,
  setActivationType,
  setHostCaching,
  setKms,
  setKmsDomain,
} from './kms.js';
import type { SettingsState, SettingsUpdate } from './types.js';

const PRODUCT = '6f1b2c3d-0000-4000-8000-000000000001';

function machine(): SettingsState {
  return { settings: DEFAULT_MACHINE_SETTINGS, products: { [PRODUCT]: {} } };
}

function value<T>(result: Result<SettingsUpdate<T>>): SettingsUpdate<T> {
  if (!result.ok) throw result.error;
  return result.value;
}

describe('volume client settings', () => {
  it('when a host is pinned then host and default port are recorded machine-wide', () => {
    const update = value(setKms(machine(), { kind: 'host', host: 'kms.example', port: null }));
    expect(update.state.settings.kms).toEqual({ host: 'kms.example', port: null, domain: null });
    expect(update.changes).toEqual([{ setting: 'kms.host', from: null, to: 'kms.example' }]);
  });

  it('when only a port is given then the host stays', () => {
    const pinned = value(setKms(machine(), { kind: 'host', host: 'kms', port: 1700 })).state;
    const update = value(setKms(pinned, { kind: 'port', port: 1800 }));
    expect(update.state.settings.kms).toMatchObject({ host: 'kms', port: 1800 });
  });

  it('when the same host is pinned twice then nothing changes', () => {
    const address = { kind: 'host', host: 'kms', port: 1700 } as const;
    const pinned = value(setKms(machine(), address)).state;
    expect(value(setKms(pinned, address)).changes).toEqual([]);
  });

  it('when cleared then host and port are gone but the domain stays', () => {
    let state = value(setKmsDomain(machine(), 'corp.example')).state;
    state = value(setKms(state, { kind: 'host', host: 'kms', port: 1700 })).state;
    const cleared = value(clearKms(state)).state;
    expect(cleared.settings.kms).toEqual({ host: null, port: null, domain: 'corp.example' });
    expect(value(clearKmsDomain(cleared)).state.settings.kms.domain).toBeNull();
  });

  it('when an activation ID is given then only that product changes', () => {
    const update = value(setKms(machine(), { kind: 'host', host: 'kms2', port: null }, PRODUCT));
    expect(update.activationId).toBe(PRODUCT);
    expect(update.state.settings.kms.host).toBeNull();
    expect(update.state.products[PRODUCT]?.settings?.kms.host).toBe('kms2');
  });

  it('when the activation ID is not installed then product.not_found and nothing changes', () => {
    const result = setKms(machine(), { kind: 'port', port: 1 }, 'unknown');
    expect(result.ok ? null : result.error.code).toBe('product.not_found');
  });

  it('when host caching is turned off then the change is reported', () => {
    const update = value(setHostCaching(machine(), false));
    expect(update.changes).toEqual([{ setting: 'hostCaching', from: true, to: false }]);
  });

  it('when the activation type is set per product then the machine keeps its own', () => {
    const update = value(setActivationType(machine(), 3, PRODUCT));
    expect(update.state.settings.activationType).toBe(0);
    expect(update.state.products[PRODUCT]?.settings?.activationType).toBe(3);
    expect(value(setActivationType(machine(), 2)).state.settings.activationType).toBe(2);
  });
});

describe('volume host settings', () => {
  it('when no volume host key is installed then the change is refused', () => {
    const result = setHostSetting(
      machine(),
      { setting: 'port', value: 1700 },
      { volumeHostKeyInstalled: false },
    );
    expect(result.ok ? null : result.error.code).toBe('setting.not_volume_host');
  });

  it('when a volume host key is installed then the setting changes', () => {
    const update = value(
      setHostSetting(
        machine(),
        { setting: 'dnsPublishing', value: false },
        { volumeHostKeyInstalled: true },
      ),
    );
    expect(update.state.settings.host.dnsPublishing).toBe(false);
    expect(update.changes).toEqual([{ setting: 'host.dnsPublishing', from: true, to: false }]);
  });
});
