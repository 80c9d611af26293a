#!/usr/bin/env -S node --max-semi-space-size=4
// The small young generation keeps resident memory low under load at no cost in throughput
// (bench/RESULTS.md); run as `node bin/slm-kms.js`, pass the flag to node yourself.
import { main } from '../dist/main.js';

process.exitCode = await main(process.argv.slice(2));
