import { runConformance } from '@slm/conformance';
import { volumeDriver } from './volume-driver.js';

runConformance(volumeDriver);
