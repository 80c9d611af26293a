import type { CliIo } from './io.js';

const WIDTH = 30;

/** A progress bar on stderr: redrawn in place on a terminal, a few plain lines otherwise. */
export function progressBar(io: CliIo, label: string): (done: number, total: number) => void {
  let lastShown = -1;
  return (done, total) => {
    const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
    if (io.errIsTty) {
      const filled = Math.round((percent / 100) * WIDTH);
      const bar = `${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}`;
      io.err(`\r${label} [${bar}] ${done}/${total}${done === total ? '\n' : ''}`);
      return;
    }
    const step = Math.floor(percent / 25);
    if (step === lastShown && done !== total) return;
    lastShown = step;
    io.err(`${label}: ${done}/${total} (${percent}%)\n`);
  };
}
