import type {
  ActivationType,
  MachineSettings,
  ProductSettings,
  VolumeClientSettings,
  VolumeHostSettings,
} from '../licence/types.js';

export type { ActivationType, MachineSettings, ProductSettings };
/** Where a volume client looks for a volume host; null means "not set". */
export type KmsSettings = VolumeClientSettings;
/** Settings of the volume host process on this machine. */
export type HostSettings = VolumeHostSettings;

/** The part of a machine's state the setters read and write (MachineState satisfies it). */
export interface SettingsState {
  readonly settings: MachineSettings;
  readonly products: Readonly<Record<string, { readonly settings?: ProductSettings | undefined }>>;
}

/** One setting that a setter changed, with its value before and after. */
export interface SettingChange {
  readonly setting: string;
  readonly from: string | number | boolean | null;
  readonly to: string | number | boolean | null;
}

/** What a setter returns: the new state and what changed (empty when it was already so). */
export interface SettingsUpdate<S> {
  readonly state: S;
  /** The activation ID the change applies to, or null for the whole machine. */
  readonly activationId: string | null;
  readonly changes: readonly SettingChange[];
}

/** Limits shared by validators and messages. */
export const SETTING_LIMITS = {
  intervalMin: 15,
  intervalMax: 43_200,
  portMin: 1,
  portMax: 65_535,
  defaultKmsPort: 1688,
} as const;
