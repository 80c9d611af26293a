import type { Result } from '../result.js';
import { fail, ok } from '../result.js';
import { type ActivationType, SETTING_LIMITS } from './types.js';

/** A parsed `/skms` argument: a host with an optional port, or only a port. */
export type KmsAddress =
  | { readonly kind: 'host'; readonly host: string; readonly port: number | null }
  | { readonly kind: 'port'; readonly port: number };

const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/**
 * Why `text` is not a number as settings are written (decimal digits, no sign, no leading zero),
 * or null; `what` names the value, as in "a port". Spaces around an argument are removed before.
 */
function numberProblem(text: string, what: string): string | null {
  if (!/^\d+$/.test(text)) return `"${text}" is not ${what}`;
  if (text.length > 1 && text.startsWith('0')) {
    return `"${text}" is not ${what}: write it without leading zeros, as ${text.replace(/^0+(?=\d)/, '')}`;
  }
  return null;
}

/** Parses a port: decimal digits without leading zeros, 1–65535. */
export function parsePort(text: string): Result<number> {
  const { portMin, portMax } = SETTING_LIMITS;
  const range = `a port is a whole number from ${portMin} to ${portMax}`;
  const problem = numberProblem(text, 'a port');
  if (problem !== null) return fail('setting.invalid', `${problem}; ${range}`, { value: text });
  const port = Number(text);
  if (port < portMin || port > portMax) {
    return fail('setting.out_of_range', `port ${text} is out of range: ${range}`, { value: text });
  }
  return ok(port);
}

/** Parses an interval in whole minutes, 15–43200 (`2h`, `1e3`, `-5`, `1.5`, `020` are refused). */
export function parseInterval(text: string): Result<number> {
  const { intervalMin, intervalMax } = SETTING_LIMITS;
  const range = `give whole minutes from ${intervalMin} to ${intervalMax}`;
  const problem = numberProblem(text, 'a number of minutes');
  if (problem !== null) return fail('setting.invalid', `${problem}; ${range}`, { value: text });
  const minutes = Number(text);
  if (minutes < intervalMin || minutes > intervalMax) {
    return fail('setting.out_of_range', `${text} minutes is out of range: ${range}`, {
      value: text,
    });
  }
  return ok(minutes);
}

/** Parses a host name (DNS name, trailing dot allowed) or an IPv4 address. */
export function parseHostName(text: string): Result<string> {
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  if (IPV4.test(name)) return ok(name);
  const labels = name.split('.');
  if (name.length > 0 && name.length <= 253 && labels.every((label) => LABEL.test(label))) {
    return ok(name.toLowerCase());
  }
  if (name.includes(':')) return bareIpv6(text);
  return fail('setting.invalid', `"${text}" is not a host name or IPv4 address`, { value: text });
}

/** Parses a DNS domain for SRV discovery (`/skms-domain`). */
export function parseDomain(text: string): Result<string> {
  const name = parseHostName(text);
  if (!name.ok || IPV4.test(name.value)) {
    return fail('setting.invalid', `"${text}" is not a DNS domain name (example: corp.example)`, {
      value: text,
    });
  }
  return name;
}

/**
 * Parses a `/skms` argument: `name`, `name:port`, `:port`, IPv4, `[IPv6]`, `[IPv6]:port`.
 * A bare IPv6 address is refused, because its colons cannot be told from a port.
 */
export function parseKmsAddress(input: string): Result<KmsAddress> {
  const text = input.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    return fail(
      'setting.invalid',
      `"${text}" is a URL: give the volume host as a name or address, with :port if needed, as in kms.corp.example:1688`,
      { value: text },
    );
  }
  if (text.startsWith('[')) return parseBracketed(text);
  // Checked before ":port" so that "::1" is named as an IPv6 address, not a bad port.
  if (text.split(':').length > 2)
    return normaliseIpv6(text) === null ? tooManyColons(text) : bareIpv6(text);
  if (text.startsWith(':')) return mapPort(parsePort(text.slice(1)));
  const [name = '', port] = text.split(':');
  const host = parseHostName(name);
  if (!host.ok) return host;
  if (port === undefined) return ok({ kind: 'host', host: host.value, port: null });
  const parsed = parsePort(port);
  return parsed.ok ? ok({ kind: 'host', host: host.value, port: parsed.value }) : parsed;
}

/** Parses `/act-type`: 0 all, 2 volume host, 3 token; 1 (directory-based) is not offered. */
export function parseActivationType(text: string): Result<ActivationType> {
  if (text === '0' || text === '2' || text === '3') return ok(Number(text) as ActivationType);
  if (text === '1') {
    return fail(
      'setting.unsupported',
      'activation type 1 (directory-based activation) is not available: use 0 (all), 2 (volume host) or 3 (token)',
    );
  }
  const problem =
    numberProblem(text, 'an activation type') ?? `"${text}" is not an activation type`;
  return fail('setting.invalid', `${problem}; use 0, 2 or 3`, { value: text });
}

function parseBracketed(text: string): Result<KmsAddress> {
  const match = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  const address = match?.[1] === undefined ? null : normaliseIpv6(match[1]);
  if (match === null || address === null) {
    return fail('setting.invalid', `"${text}" is not a bracketed IPv6 address`, { value: text });
  }
  const portText = match[2];
  if (portText === undefined) return ok({ kind: 'host', host: address, port: null });
  const port = parsePort(portText);
  return port.ok ? ok({ kind: 'host', host: address, port: port.value }) : port;
}

function normaliseIpv6(address: string): string | null {
  if (!address.includes(':')) return null;
  try {
    const host = new URL(`http://[${address}]/`).hostname;
    return host.slice(1, -1);
  } catch {
    return null;
  }
}

function mapPort(port: Result<number>): Result<KmsAddress> {
  return port.ok ? ok({ kind: 'port', port: port.value }) : port;
}

function tooManyColons(text: string): Result<never> {
  return fail(
    'setting.invalid',
    `"${text}" has more than one ":": give a host and at most one port, as in kms.corp.example:1688`,
    { value: text },
  );
}

function bareIpv6(text: string): Result<never> {
  return fail(
    'setting.invalid',
    `"${text}" looks like an IPv6 address: put it in brackets, as in [${text}] or [${text}]:1688`,
    { value: text },
  );
}
