import { runConformance } from '../src/runner.js';
import { cliDriver } from './cli-driver.js';

runConformance(cliDriver);
