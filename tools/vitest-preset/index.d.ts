import type { ViteUserConfig } from 'vitest/config';

export declare function projectTestConfig(projectDir: string, overrides?: ViteUserConfig['test']): ViteUserConfig;
