import { Sp01Error } from '@sp01/core';
import type { SourcePosition } from './graph.js';

/**
 * Stable codes, for machines (the `models` app maps every one of them to exit code 2).
 * - `project_config`: dbt_project.yml or a properties YAML is missing or malformed
 * - `template_syntax` / `template_render`: Jinja that does not parse or fails while rendering
 * - `invalid_config`: a config value dbt would reject (unknown materialization, strategy…)
 * - `unknown_ref` / `unknown_source` / `disabled_ref`: a dependency that does not resolve
 * - `duplicate_resource`: two resources with one name
 * - `dependency_cycle`: the DAG is not acyclic
 * - `unsupported`: valid dbt this compiler does not implement (package refs, versions, python models)
 * - `invalid_selector`: a `--select`/`--exclude` expression that does not parse
 * - `unknown_node`: asked to compile a unique_id the graph does not hold
 */
export type ModelingErrorCode =
  | 'project_config'
  | 'template_syntax'
  | 'template_render'
  | 'invalid_config'
  | 'unknown_ref'
  | 'unknown_source'
  | 'disabled_ref'
  | 'duplicate_resource'
  | 'dependency_cycle'
  | 'unsupported'
  | 'invalid_selector'
  | 'unknown_node';

/** Every compile-side failure: the message starts with `file:line:` whenever a position is known. */
export class ModelingError extends Sp01Error {
  constructor(
    override readonly code: ModelingErrorCode,
    readonly detail: string,
    readonly position: SourcePosition | null = null,
    options?: { cause?: unknown; related?: SourcePosition[] },
  ) {
    super(code, position ? `${describePosition(position)}: ${detail}` : detail, options);
    this.related = options?.related ?? [];
  }

  /** Further places the problem involves (e.g. every ref call along a cycle). */
  readonly related: SourcePosition[];
}

export function describePosition(position: SourcePosition): string {
  return position.line > 0 ? `${position.file}:${position.line}` : position.file;
}
