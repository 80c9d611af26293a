import { KmsError } from '../errors.js';

/**
 * Says in words why listening failed when the user can act on it: the port is taken, or the
 * address is not one this machine can resolve. Anything else is returned as it came.
 */
export function listenFailure(
  error: unknown,
  fix = 'stop it, or listen on another port with --port or slmgr /sprt',
): unknown {
  const failure = error as NodeJS.ErrnoException & {
    address?: string;
    port?: number;
    hostname?: string;
  };
  if (failure?.code === 'EADDRINUSE') {
    return new KmsError(
      'listen.in_use',
      `port ${failure.port} on ${failure.address} is already in use (another volume host?): ${fix}`,
    );
  }
  if (failure?.code === 'ENOTFOUND' || failure?.code === 'EAI_AGAIN') {
    return new KmsError(
      'usage.value',
      `cannot listen on ${failure.hostname}: no such address (give an IP address or a known name)`,
    );
  }
  return error;
}
