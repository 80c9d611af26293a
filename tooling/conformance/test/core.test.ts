import { runConformance } from '../src/runner.js';
import { coreDriver } from './core-driver.js';

runConformance(coreDriver);
