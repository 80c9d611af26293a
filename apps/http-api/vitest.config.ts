import { preset } from '@slm/vitest-preset';

export default preset({ testTimeout: 30_000 });
