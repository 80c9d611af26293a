import { SlmError } from '@slm/core/status';

/** The way out that every damaged-store message offers. */
export const RECOVERY_HINT =
  'run slmgr /rilc as administrator to rebuild it from the licence files (activations whose grants still verify are kept)';

const CORRUPT = /^SQLITE_(CORRUPT|NOTADB)/;
const BUSY = /^SQLITE_(BUSY|LOCKED)/;
const PERMISSION = /^SQLITE_(READONLY|CANTOPEN|PERM|AUTH)/;

/** The SQLite result code of a thrown error, or null when it did not come from SQLite. */
export function sqliteCode(error: unknown): string | null {
  if (error === null || typeof error !== 'object' || !('code' in error)) return null;
  return typeof error.code === 'string' && error.code.startsWith('SQLITE_') ? error.code : null;
}

/** Tells whether an error says the database file is damaged. */
export function isCorruption(error: unknown): boolean {
  return CORRUPT.test(sqliteCode(error) ?? '');
}

/** Turns a SQLite or file-system failure into the store error an administrator can act on. */
export function storeError(error: unknown, path: string): SlmError {
  if (error instanceof SlmError) return error;
  const code = sqliteCode(error) ?? fsCode(error);
  if (CORRUPT.test(code)) {
    return new SlmError('store.corrupt', `the licence store ${path} is damaged: ${RECOVERY_HINT}`, {
      path,
      cause: code,
    });
  }
  if (BUSY.test(code)) {
    return new SlmError(
      'store.busy',
      `the licence store ${path} stayed locked by another process: try again`,
      { path },
    );
  }
  if (PERMISSION.test(code) || code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return permissionError(path);
  }
  throw error;
}

/** The refusal a non-administrator gets for a change. */
export function permissionError(path: string): SlmError {
  return new SlmError(
    'store.permission',
    `changing the licence store ${path} needs an administrator (whoever can write it): run this command as that user, or with sudo`,
    { path },
  );
}

/** The refusal a user gets who may not read the store at all. */
export function unreadableError(path: string): SlmError {
  return new SlmError(
    'store.permission',
    `the licence store ${path} cannot be read by this user: run this command as its administrator (whoever owns it), or with sudo`,
    { path },
  );
}

function fsCode(error: unknown): string {
  if (error === null || typeof error !== 'object' || !('code' in error)) return '';
  return typeof error.code === 'string' ? error.code : '';
}
