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
  readonly licenceDir: string;
  readonly json: boolean;
}

/** Resolves the store home: --store, else SLM_HOME, else the system path. */
export function makeContext(io: Io, flags: { store?: string; json?: boolean }): Context {
  // An empty variable is an unset one, as for PATH-like variables in a shell.
  const home = nonEmpty(flags.store) ?? nonEmpty(io.env.SLM_HOME) ?? SYSTEM_HOME;
  return {
    io,
    now: io.now(),
    home,
    licenceDir: nonEmpty(io.env.SLM_LICENCE_DIR) ?? join(home, 'licences'),
    json: flags.json === true,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
