import type { Dialect, Relation } from '@sp01/modeling-compiler';
import { bigqueryDialect } from '@sp01/modeling-compiler';

/**
 * Where a relation physically lives. Relations in the graph stay logical (`analytics_marts`,
 * database null); the adapter fills in its project and puts `datasetPrefix` in front of the
 * dataset — the same prefix the ETL's BIGQUERY_DATASET_PREFIX gives the raw dataset, so
 * `source('raw', …)` finds `<prefix>raw`.
 */
export interface RelationPlacement {
  projectId: string;
  datasetPrefix: string;
}

const DATASET = /^[A-Za-z0-9_]{1,1024}$/;

export function physicalRelation(placement: RelationPlacement, relation: Relation): Relation & { database: string } {
  const schema = `${placement.datasetPrefix}${relation.schema}`;
  if (!DATASET.test(schema)) throw new Error(`BigQuery dataset ${JSON.stringify(schema)}: only letters, digits and _ are allowed`);
  return { database: relation.database ?? placement.projectId, schema, identifier: relation.identifier };
}

/**
 * bigqueryDialect with every relation rendered fully qualified and prefixed. Compile with this
 * dialect so `ref()`, `source()` and `this` name the same tables the adapter creates.
 */
export function placedDialect(placement: RelationPlacement): Dialect {
  return {
    ...bigqueryDialect,
    renderRelation: (relation) => bigqueryDialect.renderRelation(physicalRelation(placement, relation)),
  };
}
