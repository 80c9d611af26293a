import { preset } from '@slm/vitest-preset';

export default preset();
