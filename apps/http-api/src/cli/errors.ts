/** The command line asks for something that cannot be done: the usage exit status, no change. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
