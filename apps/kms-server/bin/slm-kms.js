#!/usr/bin/env -S node --max-semi-space-size=16
// A young generation of 16 MiB: answers now wait up to 3 ms for their commit, and with 4 MiB
// the collector spent a tenth of the host's time copying them (bench/RESULTS.md); resident
// memory stays under 150 MB. Run as `node bin/slm-kms.js`, pass the flag to node yourself.
import { main } from '../dist/main.js';

process.exitCode = await main(process.argv.slice(2));
