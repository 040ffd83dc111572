import { describe, expect, it } from 'vitest';
import { DEFAULT_PROJECT_DIR, resolveModelsSettings } from './settings.js';

describe('models settings', () => {
  it("builds SP01's analytics project when no --project-dir is given", () => {
    expect(resolveModelsSettings({ env: {}, flags: {} }).projectDir).toBe(DEFAULT_PROJECT_DIR);
    expect(DEFAULT_PROJECT_DIR).toBe('libs/analytics');
  });

  it('hands --schema-prefix / SP01_SCHEMA_PREFIX to the project as var schema_prefix', () => {
    expect(resolveModelsSettings({ env: { SP01_SCHEMA_PREFIX: 'dev_' }, flags: {} }).vars).toEqual({ schema_prefix: 'dev_' });
    expect(resolveModelsSettings({ env: {}, flags: { 'schema-prefix': 'ci_', vars: '{"a": 1}' } }).vars).toEqual({ schema_prefix: 'ci_', a: 1 });
    // An explicit var wins, as any --vars does.
    expect(resolveModelsSettings({ env: {}, flags: { 'schema-prefix': 'ci_', vars: '{"schema_prefix": "x_"}' } }).vars).toEqual({ schema_prefix: 'x_' });
    expect(resolveModelsSettings({ env: {}, flags: {} }).vars).toBeUndefined();
  });

  it('refuses a prefix that is not a schema name, naming the flag and the variable', () => {
    expect(() => resolveModelsSettings({ env: { SP01_SCHEMA_PREFIX: 'Dev-' }, flags: {} })).toThrow(
      '--schema-prefix / SP01_SCHEMA_PREFIX: must be lower-case letters, digits and underscores',
    );
  });
});
