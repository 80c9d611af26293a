import { join } from 'node:path';
import type { Io } from './io.js';

/** The system path of the machine store when SLM_HOME is not set. */
export const SYSTEM_HOME = '/var/lib/slm';

/** What every command gets: its writers, the clock reading, and where the store lives. */
export interface Context {
  readonly io: Io;
  /** The clock, read once at start so one command sees one instant. */
  readonly now: number;
  readonly home: string;
  /** Where the home came from, as a person would set it: --store, SLM_HOME or the default. */
  readonly homeSetting: string;
  readonly licenceDir: string;
  /** Where the licence folder came from: SLM_LICENCE_DIR or the home. */
  readonly licenceDirSetting: string;
  readonly json: boolean;
}

/** Resolves the store home: --store, else SLM_HOME, else the system path. */
export function makeContext(io: Io, flags: { store?: string; json?: boolean }): Context {
  // An empty variable is an unset one, as for PATH-like variables in a shell.
  const store = nonEmpty(flags.store);
  const envHome = nonEmpty(io.env.SLM_HOME);
  const home = store ?? envHome ?? SYSTEM_HOME;
  const homeSetting =
    store !== undefined ? '--store' : envHome !== undefined ? 'SLM_HOME' : '--store or SLM_HOME';
  const envLicenceDir = nonEmpty(io.env.SLM_LICENCE_DIR);
  return {
    io,
    now: io.now(),
    home,
    homeSetting,
    licenceDir: envLicenceDir ?? join(home, 'licences'),
    licenceDirSetting: envLicenceDir !== undefined ? 'SLM_LICENCE_DIR' : homeSetting,
    json: flags.json === true,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
