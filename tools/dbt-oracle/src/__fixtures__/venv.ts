import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const workspace = resolve(import.meta.dirname, '../../../..');

/**
 * A Python tool from its pinned virtualenv (`tools/python/venv.sh NAME`), made on first use:
 * PyPI is reachable on every machine of this project, so the suite never skips for want of it.
 */
export function venvTool(venv: string, tool: string): string {
  const dir = execFileSync('bash', [join(workspace, 'tools/python/venv.sh'), venv], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  return join(dir, 'bin', tool);
}
