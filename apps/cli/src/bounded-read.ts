import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** The largest licence file slmgr reads: a catalog of hundreds of products is far smaller. */
export const LICENCE_FILE_LIMIT = 1024 * 1024;

/** Why a file was not read: not a regular file, too large, or the system's error code. */
export type UnreadableReason = 'not_a_file' | 'too_large' | string;

/**
 * Reads a regular file of at most `limit` bytes as UTF-8. The type and size are checked on the
 * open descriptor before reading, so a device (/dev/zero), a pipe or a huge file is refused
 * instead of filling memory, and a pipe does not block the open.
 */
export function readBoundedText(
  path: string,
  limit = LICENCE_FILE_LIMIT,
): { ok: true; text: string } | { ok: false; reason: UnreadableReason } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { ok: false, reason: (error as NodeJS.ErrnoException).code ?? 'unreadable' };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { ok: false, reason: 'not_a_file' };
    if (stat.size > limit) return { ok: false, reason: 'too_large' };
    // Read one byte past the limit, so a file that grew since fstat is still caught.
    const buffer = Buffer.allocUnsafe(limit + 1);
    let length = 0;
    for (let n = -1; n !== 0 && length <= limit; length += n) {
      n = readSync(fd, buffer, length, buffer.length - length, null);
    }
    if (length > limit) return { ok: false, reason: 'too_large' };
    return { ok: true, text: buffer.toString('utf8', 0, length) };
  } catch (error) {
    return { ok: false, reason: (error as NodeJS.ErrnoException).code ?? 'unreadable' };
  } finally {
    closeSync(fd);
  }
}

/** A reason as a person reads it, after "cannot read FILE". */
export function describeUnreadable(reason: UnreadableReason): string {
  if (reason === 'not_a_file') return 'it is not a regular file';
  if (reason === 'too_large') return `it is larger than ${LICENCE_FILE_LIMIT / 1024 / 1024} MiB`;
  return reason;
}
