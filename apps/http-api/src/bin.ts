#!/usr/bin/env node
import { runCli } from './cli/program.js';

const stop = new AbortController();
process.once('SIGINT', () => stop.abort());
process.once('SIGTERM', () => stop.abort());

const io = {
  out: (text: string) => void process.stdout.write(text),
  err: (text: string) => void process.stderr.write(text),
  errIsTty: process.stderr.isTTY === true,
};

process.exitCode = await runCli(process.argv.slice(2), io, stop.signal);
