import { run } from './program.js';
import { nodeIo } from './system.js';

process.exitCode = await run(process.argv.slice(2), nodeIo());
