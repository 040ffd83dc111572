import { randomBytes } from 'node:crypto';
import { describe, it } from 'vitest';

const url = process.env['DATABASE_URL'];
const ci = !['', '0', 'false'].includes((process.env['CI'] ?? '').toLowerCase());

/** A schema prefix no other test file (or run) uses, e.g. `t_3fa9c2d1_`. */
export function freshSchemaPrefix() {
  return `t_${randomBytes(4).toString('hex')}_`;
}

/**
 * Tests against the PostgreSQL server at DATABASE_URL. Without one they are skipped with a
 * notice on a workstation, and fail in CI, where skipping would hide a broken warehouse.
 *
 * @param {string} name
 * @param {(url: string) => void} body
 */
export function describePostgres(name, body) {
  if (url === undefined && !ci) {
    console.warn(
      `\n[postgres] DATABASE_URL is not set: "${name}" is SKIPPED.\n` +
        '  Start a server with `bash .ci/postgres.sh` and export DATABASE_URL=postgres://postgres@127.0.0.1:54329/sp01\n',
    );
  }
  describe.runIf(url !== undefined || ci)(name, () => {
    if (url === undefined) {
      it('needs DATABASE_URL', () => {
        throw new Error('CI is set but DATABASE_URL is not: the PostgreSQL tests must run in CI (see .ci/postgres.sh)');
      });
      return;
    }
    body(url);
  });
}
