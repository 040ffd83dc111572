import { type ViteUserConfig } from 'vitest/config';
/**
 * Shared test settings for every project. Tests resolve workspace packages to their
 * TypeScript sources (the `@sp01/source` export condition) so that `nx test` on one lib
 * never needs its dependencies built first.
 */
export declare function projectTestConfig(projectDir: string, overrides?: ViteUserConfig['test']): ViteUserConfig;
//# sourceMappingURL=vitest.preset.d.ts.map