import type { Dialect } from './dialect.js';
import type { Relation, RelationNode, SourceDefinition, Target, TestNode } from './graph.js';

/** dbt's default `generate_schema_name`: a custom schema is appended to the target schema. */
export function generateSchemaName(customSchema: string | null, target: Target): string {
  return customSchema ? `${target.schema}_${customSchema.trim()}` : target.schema;
}

/**
 * Where a node lives for a target, by dbt's default rules: `database` from config or target,
 * schema from generate_schema_name (snapshots' legacy `target_schema` verbatim), identifier
 * from `alias` or the name. Tests land in `<schema>_dbt_test__audit` when they store failures.
 */
export function resolveRelation(node: RelationNode | SourceDefinition | TestNode, target: Target): Relation {
  const targetDatabase = target.database ?? null;
  if (node.resource_type === 'source') {
    return { database: node.database ?? targetDatabase, schema: node.schema, identifier: node.identifier };
  }
  if (node.resource_type === 'snapshot' && node.config.target_schema) {
    return {
      database: node.config.target_database ?? node.config.database ?? targetDatabase,
      schema: node.config.target_schema,
      identifier: node.config.alias ?? node.name,
    };
  }
  const customSchema = node.resource_type === 'test' ? (node.config.schema ?? 'dbt_test__audit') : node.config.schema;
  return {
    database: node.config.database ?? targetDatabase,
    schema: generateSchemaName(customSchema, target),
    identifier: node.config.alias ?? node.name,
  };
}

/** What `{{ ref('x') }}` / `{{ this }}` evaluate to in a template: prints as the quoted relation. */
export class RelationValue {
  readonly name: string;
  readonly table: string;
  readonly dataset: string;
  readonly project: string | null;
  constructor(
    readonly database: string | null,
    readonly schema: string,
    readonly identifier: string,
    private readonly rendered: string,
    readonly type: 'table' | 'view' | 'cte' | null = null,
  ) {
    this.name = identifier;
    this.table = identifier;
    this.dataset = schema;
    this.project = database;
  }

  static of(relation: Relation, dialect: Dialect, type: RelationValue['type'] = null): RelationValue {
    return new RelationValue(relation.database, relation.schema, relation.identifier, dialect.renderRelation(relation), type);
  }

  /** An ephemeral model's CTE: prints as `__dbt__cte__<name>`, unquoted like dbt. */
  static cte(name: string): RelationValue {
    const identifier = `__dbt__cte__${name}`;
    return new RelationValue(null, '', identifier, identifier, 'cte');
  }

  get is_table(): boolean {
    return this.type === 'table';
  }

  get is_view(): boolean {
    return this.type === 'view';
  }

  get is_cte(): boolean {
    return this.type === 'cte';
  }

  render(): string {
    return this.rendered;
  }

  toString(): string {
    return this.rendered;
  }
}
