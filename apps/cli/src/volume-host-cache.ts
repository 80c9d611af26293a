import type { StoreTransaction, StoreView } from '@slm/machine-store';

/** A volume host as `/ato` reaches it. */
export interface CachedHost {
  readonly host: string;
  readonly port: number;
}

const NOTE = 'volume-host:';

/**
 * The volume host that last activated a product, kept as a public note while host caching
 * (`/skhc`) is on, so the next `/ato` asks it first and runs discovery only when it fails.
 */
export function cachedHost(view: StoreView, activationId: string): CachedHost | null {
  const note = view.note(`${NOTE}${activationId}`);
  if (note === null) return null;
  const colon = note.lastIndexOf(':');
  const port = Number(note.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port)) return null;
  return { host: note.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port };
}

/** Records (or, with null, forgets) the host that last activated a product. */
export function setCachedHost(
  tx: StoreTransaction,
  activationId: string,
  host: CachedHost | null,
): void {
  tx.setNote(`${NOTE}${activationId}`, host === null ? null : formatted(host));
}

/** `host:port`, with brackets around an IPv6 address. */
export function formatted({ host, port }: CachedHost): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
