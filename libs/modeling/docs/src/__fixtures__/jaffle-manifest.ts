import { join } from 'node:path';
import type { Manifest, Target } from '@sp01/modeling-compiler';
import { bigqueryDialect, buildManifest, compileGraph, parseProject } from '@sp01/modeling-compiler';

/** The compiler's own fixture project: a jaffle-shop with every resource type and test kind. */
export const JAFFLE_DIR = join(import.meta.dirname, '../../../compiler/src/__fixtures__/jaffle');

export const JAFFLE_TARGET: Target = { name: 'prod', type: 'bigquery', schema: 'analytics', database: 'sp01-warehouse' };

/** A fresh manifest (tests may change it) with compiled SQL, as `models compile` writes it. */
export function jaffleManifest(): Manifest {
  const graph = parseProject({ projectDir: JAFFLE_DIR, env: {} });
  const compiled = compileGraph(graph, { dialect: bigqueryDialect, target: JAFFLE_TARGET, env: {} });
  return buildManifest(graph, {
    dialect: bigqueryDialect,
    target: JAFFLE_TARGET,
    compiled: compiled.nodes,
    invocationId: 'inv-docs',
    generatedAt: new Date('2025-03-04T05:06:07.000Z'),
  });
}
