/** Where a command's output goes and what it may read of the world; tests pass their own. */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The clock, read once per command. */
  readonly now: () => number;
  readonly randomBytes: (size: number) => Uint8Array;
  /** Reads the OS facts that make up the machine identity (adapters only; tests may fix them). */
  readonly machineFacts: () => Readonly<Record<string, string>>;
  /**
   * Reads standard input to its end or just past STDIN_LIMIT (for `/ipk -`, which keeps the key
   * off the command line).
   */
  readonly readStdin: () => string;
}

/** The most of standard input slmgr reads (one byte more tells it was more): far over a key. */
export const STDIN_LIMIT = 64 * 1024;
