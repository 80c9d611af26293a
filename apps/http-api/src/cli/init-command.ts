import { Command, InvalidArgumentError } from 'commander';
import { initVendor } from '../vendor/init.js';
import type { CliIo } from './io.js';

/** `slm-api init DIR`: a new vendor with keys, database, example catalog and admin token. */
export function initCommand(io: CliIo): Command {
  return new Command('init')
    .description('create a vendor: signing key, key secret, database, example catalog, token')
    .argument('<dir>', 'the vendor directory to create')
    .option('--name <name>', 'the vendor name shown in the catalog', 'Example Vendor')
    .option('--host <host>', 'the address to listen on', '127.0.0.1')
    .option('--port <port>', 'the port to listen on', toPort, 8470)
    .option('--public-url <url>', 'the URL machines use (default http://HOST:PORT)')
    .action(async (dir: string, options: InitFlags) => {
      const result = await initVendor(dir, {
        name: options.name,
        host: options.host,
        port: options.port,
        publicUrl: options.publicUrl,
      });
      io.out(`vendor created in ${result.dir}\n`);
      io.out(`vendor public key: ${result.publicKey}\n`);
      io.out(`administrator token (shown once, only its hash is kept):\n${result.adminToken}\n`);
      io.out(`next: edit ${dir}/catalog.json, then: slm-api catalog publish ${dir}\n`);
    });
}

interface InitFlags {
  name: string;
  host: string;
  port: number;
  publicUrl?: string;
}

/** Parses a TCP port option. */
export function toPort(text: string): number {
  return portIn(text, 0, 65_535);
}

/** A port given in decimal digits within [min, max]; anything else is a usage error naming it. */
export function portIn(text: string, min: number, max: number): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= min && port <= max)) {
    throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
  }
  return port;
}
