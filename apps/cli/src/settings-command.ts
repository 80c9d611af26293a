import {
  emptyProduct,
  type MachineState,
  type Result,
  SETTING_LIMITS,
  type SettingChange,
  type SettingsUpdate,
  withProduct,
} from '@slm/core/status';
import { activationIdArg } from './args.js';
import { type CommandResult, report } from './command.js';
import type { Context } from './context.js';
import { changeMachine, findSku, type Machine } from './machine.js';
import { formatted } from './volume-host-cache.js';

const DEFAULT_KMS_PORT = SETTING_LIMITS.defaultKmsPort;

const LABELS: Record<string, string> = {
  'kms.host': 'volume host name',
  'kms.port': 'volume host port',
  'kms.domain': 'volume host DNS domain',
  hostCaching: 'volume host caching',
  activationType: 'volume activation type',
  'host.activationInterval': 'volume host activation interval (minutes)',
  'host.renewalInterval': 'volume host renewal interval (minutes)',
  'host.port': 'volume host listening port',
  'host.dnsPublishing': 'volume host DNS publishing',
  'host.lowPriority': 'volume host low priority',
};

/** A setter over the machine state, given the activation ID it applies to (null: machine). */
export type Setter = (
  state: MachineState,
  activationId: string | null,
) => Result<SettingsUpdate<MachineState>>;

/** What a settings command says beside its changes. */
export interface SettingNotes {
  /** Why nothing changed, e.g. "the volume host port is already 1688". */
  readonly unchanged: string;
  /** Said after a change, e.g. when it takes effect; may depend on the state it left. */
  readonly after?: string | ((update: SettingsUpdate<MachineState>) => string);
}

/**
 * The volume host pinned for a scope (a product's own, else the machine's) as `host:port`, the
 * port being the one `/ato` would use; null when none is pinned.
 */
export function pinnedHost(update: SettingsUpdate<MachineState>): string | null {
  const { state, activationId } = update;
  const own = activationId === null ? undefined : state.products[activationId]?.settings.kms;
  const host = own?.host ?? state.settings.kms.host;
  if (host === null) return null;
  return formatted({ host, port: own?.port ?? state.settings.kms.port ?? DEFAULT_KMS_PORT });
}

/** Runs a settings change as one transaction and says what changed, or that nothing did. */
export function applySetting(
  ctx: Context,
  activationIdText: string | undefined,
  setter: Setter,
  notes: SettingNotes,
): CommandResult {
  const activationId = activationIdArg(activationIdText);
  if (!activationId.ok) return activationId;
  const result = changeMachine(ctx, (machine) => {
    const state = withProductEntry(machine, activationId.value);
    return state.ok ? setter(state.value, activationId.value) : state;
  });
  if (!result.ok) return result;
  return describe(result.value, notes);
}

function withProductEntry(machine: Machine, activationId: string | null): Result<MachineState> {
  if (activationId === null) return { ok: true, value: machine.state };
  const sku = findSku(machine, activationId);
  if (!sku.ok) return sku;
  const existing = machine.state.products[activationId];
  const state =
    existing === undefined ? withProduct(machine.state, emptyProduct(activationId)) : machine.state;
  return { ok: true, value: state };
}

function describe(update: SettingsUpdate<MachineState>, notes: SettingNotes): CommandResult {
  const scope = update.activationId === null ? '' : ` for activation ID ${update.activationId}`;
  const changed = update.changes.length > 0;
  const lines = changed
    ? [...update.changes.map((change) => `Changed ${line(change)}${scope}.`), after(update, notes)]
    : [`Nothing changed${scope}: ${notes.unchanged}.`];
  const data = { activationId: update.activationId, changed, changes: update.changes };
  return report(
    data,
    lines.filter((text) => text !== ''),
  );
}

function after(update: SettingsUpdate<MachineState>, notes: SettingNotes): string {
  return typeof notes.after === 'function' ? notes.after(update) : (notes.after ?? '');
}

function line(change: SettingChange): string {
  const label = LABELS[change.setting] ?? change.setting;
  return `${label} from ${shownSetting(change.setting, change.from)} to ${shownSetting(change.setting, change.to)}`;
}

/** A cleared volume host port is the default port, not "nothing". */
function shownSetting(setting: string, value: string | number | boolean | null): string {
  if (setting === 'kms.port' && value === null) return `the default (${DEFAULT_KMS_PORT})`;
  return shown(value);
}

/** How a setting value reads: "not set", "on"/"off", or the value. */
export function shown(value: string | number | boolean | null): string {
  if (value === null) return 'not set';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return String(value);
}
