import { preset } from '@slm/vitest-preset';

export default preset({ coverage: { lines: 90 } });
