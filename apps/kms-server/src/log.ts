/** A structured log line: a level, a short stable lowercase message, details beside it. */
export type LogFields = Readonly<Record<string, string | number | boolean | null>>;

/** Writes one JSON line per event; never given a product key, private key or raw client ID. */
export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/** A logger writing JSON lines through `write` (stdout for the binary, an array in tests). */
export function jsonLogger(write: (line: string) => void, clock: () => number = Date.now): Logger {
  // Written out rather than spread into one object: the host logs a line for every request.
  const emit =
    (level: string) =>
    (msg: string, fields: LogFields = {}) => {
      const head = `{"level":"${level}","time":"${new Date(clock()).toISOString()}","msg":${JSON.stringify(msg)}`;
      const rest = JSON.stringify(fields);
      write(rest === '{}' ? `${head}}\n` : `${head},${rest.slice(1)}\n`);
    };
  return { info: emit('info'), warn: emit('warn'), error: emit('error') };
}

/** A logger that drops everything (benchmarks of the protocol alone). */
export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/**
 * Gathers lines written in one turn of the event loop into one write: a log line per request
 * otherwise costs a system call per request.
 */
export function batchedWriter(write: (text: string) => void): {
  write: (line: string) => void;
  flush: () => void;
} {
  let lines: string[] = [];
  const flush = () => {
    if (lines.length === 0) return;
    const text = lines.join('');
    lines = [];
    write(text);
  };
  return {
    write: (line) => {
      if (lines.push(line) === 1) setImmediate(flush);
    },
    flush,
  };
}
