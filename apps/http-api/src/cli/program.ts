import { SlmError } from '@slm/core';
import { Command, CommanderError } from 'commander';
import { VendorUsageError } from '../vendor/files.js';
import { catalogCommand } from './catalog-command.js';
import { UsageError } from './errors.js';
import { initCommand } from './init-command.js';
import type { CliIo } from './io.js';
import { labCommand } from './lab-command.js';
import { keysCommand } from './mint-command.js';
import { serveCommand } from './serve-command.js';

/** Exit statuses of slm-api. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Runs slm-api with an argv (without node and script) and returns the exit status. */
export async function runCli(argv: string[], io: CliIo, signals: AbortSignal): Promise<number> {
  const program = new Command('slm-api').description(
    'the vendor activation service: keys, catalog, online and phone activation',
  );
  for (const command of [
    initCommand(io),
    serveCommand(io, signals),
    catalogCommand(io),
    keysCommand(io),
    labCommand(io, signals),
  ]) {
    program.addCommand(command);
  }
  forEachCommand(program, (command) =>
    command.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err }),
  );
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    return report(error, io);
  }
}

function forEachCommand(command: Command, visit: (command: Command) => void): void {
  visit(command);
  for (const child of command.commands) forEachCommand(child, visit);
}

function report(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (error instanceof VendorUsageError || error instanceof UsageError) {
    io.err(`slm-api: ${error.message}\n`);
    return EXIT.usage;
  }
  if (error instanceof SlmError) {
    io.err(`slm-api: ${error.message} (${error.code})\n`);
    return EXIT.failed;
  }
  io.err(`slm-api: ${error instanceof Error ? error.message : String(error)}\n`);
  return EXIT.failed;
}
