import { Command } from 'commander';
import { startService } from '../service.js';
import { toPort } from './init-command.js';
import type { CliIo } from './io.js';

/** `slm-api serve DIR`: runs the activation service until interrupted. */
export function serveCommand(io: CliIo, signals: AbortSignal): Command {
  return new Command('serve')
    .description('serve the activation service of a vendor directory')
    .argument('<dir>', 'the vendor directory')
    .option('--port <port>', 'the port (0 picks a free one)', toPort)
    .option('--host <host>', 'the address (default from config.json: loopback)')
    .action(async (dir: string, options: { port?: number; host?: string }) => {
      const log = (line: string) => io.out(`${line}\n`);
      const service = await startService(dir, { port: options.port, host: options.host, log });
      log(
        JSON.stringify({
          time: new Date().toISOString(),
          level: 'info',
          msg: 'listening',
          url: service.url,
        }),
      );
      await new Promise<void>((resolve) => signals.addEventListener('abort', () => resolve()));
      await service.close();
      log(JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: 'stopped' }));
    });
}
