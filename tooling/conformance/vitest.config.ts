import { preset } from '@slm/vitest-preset';

export default preset({ testTimeout: 60_000 });
