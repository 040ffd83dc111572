import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';

/**
 * Golden files: generated text compared byte for byte with a committed file. With
 * UPDATE_GOLDEN=1 the file is rewritten instead (review the diff like code); a missing
 * golden file is a failure, never silently created.
 *
 * @param {string} dir folder of the golden files (e.g. `join(import.meta.dirname, '__golden__')`)
 * @returns {(name: string, actual: string) => void}
 */
export function goldenFiles(dir) {
  return (name, actual) => {
    const path = join(dir, name);
    if (process.env['UPDATE_GOLDEN'] === '1') {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, actual);
      return;
    }
    if (!existsSync(path)) throw new Error(`golden file ${name} is missing: run the tests with UPDATE_GOLDEN=1 and review it`);
    expect(actual, `${name} differs from its golden file (UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(path, 'utf8'));
  };
}
