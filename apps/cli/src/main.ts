import { run } from './program.js';
import { nodeIo } from './system.js';

// No top-level await: the bundle is CommonJS, so Node never starts its ES module loader. run()
// turns every failure into an exit status; were it to reject, Node would still report it and
// exit with 1, as it did with top-level await.
void run(process.argv.slice(2), nodeIo()).then((status) => {
  process.exitCode = status;
});
