/** Why a call to the activation service got no verdict. A verdict (refusal) is not a failure. */
export type ClientFailure =
  | { kind: 'unreachable'; message: string; cause: string }
  | { kind: 'refused'; message: string }
  | { kind: 'timed_out'; message: string; timeoutMs: number }
  | { kind: 'http'; message: string; status: number; code: string; requestId: string | null }
  | { kind: 'protocol'; message: string }
  | { kind: 'insecure'; message: string };

/** The outcome of a client call: the service's answer, or why there was none. */
export type ClientResult<T> = { ok: true; value: T } | { ok: false; failure: ClientFailure };

const UNREACHABLE_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_SOCKET',
]);

/** Turns what `fetch` threw into a failure kind the caller can explain to a person. */
export function failureFromThrown(thrown: unknown, url: string, timeoutMs: number): ClientFailure {
  if (isTimeout(thrown)) {
    return {
      kind: 'timed_out',
      message: `no answer from ${url} within ${timeoutMs} ms`,
      timeoutMs,
    };
  }
  const code = causeCode(thrown);
  if (code === 'ECONNREFUSED') {
    return { kind: 'refused', message: `${url} refused the connection` };
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return { kind: 'timed_out', message: `could not connect to ${url} in time`, timeoutMs };
  }
  const cause = code ?? (thrown instanceof Error ? thrown.message : String(thrown));
  const reason = code !== null && UNREACHABLE_CODES.has(code) ? code : cause;
  return { kind: 'unreachable', message: `cannot reach ${url} (${reason})`, cause: reason };
}

function isTimeout(thrown: unknown): boolean {
  return (
    thrown instanceof Error && (thrown.name === 'TimeoutError' || thrown.name === 'AbortError')
  );
}

function causeCode(thrown: unknown): string | null {
  let current: unknown = thrown;
  for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}
