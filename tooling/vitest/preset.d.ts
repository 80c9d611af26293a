import type { UserConfig } from 'vitest/config';

export interface PresetOptions {
  coverage?: { lines?: number; functions?: number; branches?: number; statements?: number };
  testTimeout?: number;
}

export function preset(options?: PresetOptions): UserConfig;
