import { type HostSettingChange, type MachineState, setHostSetting } from '@slm/core/status';
import type { CommandResult } from './command.js';
import type { Context } from './context.js';
import { applySetting, shown } from './settings-command.js';

/** Whether a volume host key is installed on this machine. */
export function hasVolumeHostKey(state: MachineState): boolean {
  return Object.values(state.products).some((product) => product.key?.channel === 'volume_host');
}

/** Changes a setting of the volume host process; refused where no volume host key is installed. */
export function applyHostSetting(
  ctx: Context,
  change: HostSettingChange,
  label: string,
): CommandResult {
  const setter = (state: MachineState) =>
    setHostSetting(state, change, { volumeHostKeyInstalled: hasVolumeHostKey(state) });
  return applySetting(ctx, undefined, setter, {
    unchanged: `the ${label} is already ${shown(change.value)}`,
    after: takesEffect(change),
  });
}

/** When slm-kms applies a setting: its port only on restart, the others on reload too. */
function takesEffect(change: HostSettingChange): string {
  if (change.setting === 'port') {
    return 'The volume host listens on the new port when it restarts (a reload does not move it).';
  }
  return 'The volume host uses the new setting at its next reload (SIGHUP) or restart.';
}
