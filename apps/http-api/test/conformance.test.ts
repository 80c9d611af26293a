import { runConformance } from '@slm/conformance';
import { afterAll } from 'vitest';
import { createHttpLab, httpDriver } from './conformance-driver.js';

const lab = await createHttpLab();
afterAll(() => lab.harness.close());

runConformance(httpDriver(lab));
