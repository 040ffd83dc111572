import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';

export const JAFFLE_DIR = join(import.meta.dirname, 'jaffle');

const created: string[] = [];

afterEach(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Writes a throwaway dbt project (`path -> content`); removed after the test. */
export function writeProject(files: Record<string, string>, name = 'demo'): string {
  const dir = mkdtempSync(join(tmpdir(), 'modeling-compiler-'));
  created.push(dir);
  const all = { 'dbt_project.yml': `name: ${name}\nversion: '1.0.0'\nconfig-version: 2\n`, ...files };
  for (const [path, content] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}
