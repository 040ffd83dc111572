import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SyntheticProjectOptions {
  /** Seed of the pseudo-random choices (refs, materializations); same seed, same project. */
  seed?: number;
  /** Models per folder. */
  folderSize?: number;
}

export interface SyntheticProjectSummary {
  dir: string;
  models: number;
  sources: number;
  /** Generic tests declared in YAML. */
  tests: number;
}

/** A small deterministic PRNG (mulberry32): the bench must compile the same project every time. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function layerOf(i: number, n: number): 'staging' | 'intermediate' | 'marts' {
  if (i < Math.max(1, Math.floor(n * 0.2))) return 'staging';
  if (i < Math.floor(n * 0.5)) return 'intermediate';
  return 'marts';
}

/**
 * Writes a dbt project of `n` models (staging → intermediate → marts) into `dir`, replacing
 * what was there: YAML beside the SQL, sources with freshness, generic tests on every model,
 * refs to 1–3 earlier models, incremental and ephemeral models, loops, vars and `dbt.` macros.
 */
export function generateSyntheticProject(dir: string, n: number, options: SyntheticProjectOptions = {}): SyntheticProjectSummary {
  const next = random(options.seed ?? 42);
  const folderSize = options.folderSize ?? 50;
  const sourceTables = 10;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'models'), { recursive: true });
  writeFileSync(
    join(dir, 'dbt_project.yml'),
    [
      'name: synthetic',
      "version: '1.0.0'",
      'config-version: 2',
      'profile: synthetic',
      'vars:',
      "  start_date: '2024-01-01'",
      "  metrics: ['amount', 'quantity', 'discount']",
      'models:',
      '  synthetic:',
      '    +materialized: view',
      '    staging:',
      '      +schema: staging',
      '      +tags: [staging]',
      '    intermediate:',
      '      +materialized: ephemeral',
      '    marts:',
      '      +materialized: table',
      '      +schema: marts',
      '',
    ].join('\n'),
  );
  mkdirSync(join(dir, 'models', 'staging'), { recursive: true });
  const sourceYaml = ['version: 2', 'sources:', '  - name: raw', '    loaded_at_field: _loaded_at', '    freshness:', '      warn_after: {count: 12, period: hour}', '    tables:'];
  for (let t = 0; t < sourceTables; t++) sourceYaml.push(`      - name: table_${t}`, '        columns:', '          - name: id', '            data_tests: [not_null]');
  writeFileSync(join(dir, 'models', 'staging', '_sources.yml'), `${sourceYaml.join('\n')}\n`);

  const names: string[] = [];
  const yamlByFolder = new Map<string, string[]>();
  let tests = sourceTables;
  for (let i = 0; i < n; i++) {
    const layer = layerOf(i, n);
    const name = `${layer === 'staging' ? 'stg' : layer === 'intermediate' ? 'int' : 'fct'}_${String(i).padStart(5, '0')}`;
    const folder = join(layer, `group_${Math.floor(i / folderSize)}`);
    const folderPath = join(dir, 'models', folder);
    mkdirSync(folderPath, { recursive: true });
    const lines: string[] = [];
    const incremental = layer === 'marts' && i % 7 === 0;
    if (incremental) lines.push("{{ config(materialized='incremental', unique_key='id', incremental_strategy='merge') }}", '');
    else if (layer === 'intermediate' && i % 11 !== 0) lines.push("{{ config(materialized='view') }}", '');
    lines.push("{%- set metrics = var('metrics') -%}");
    let from: string;
    const joins: string[] = [];
    if (layer === 'staging' || names.length === 0) {
      from = `{{ source('raw', 'table_${i % sourceTables}') }}`;
    } else {
      const upstream = new Set<string>();
      const count = 1 + Math.floor(next() * 3);
      for (let k = 0; k < count; k++) upstream.add(names[Math.floor(next() * names.length)] as string);
      const [first, ...others] = [...upstream];
      from = `{{ ref('${first}') }}`;
      others.forEach((other, k) => joins.push(`left join {{ ref('${other}') }} as j${k} on j${k}.id = base.id`));
    }
    lines.push(
      'select',
      '    base.id,',
      "    {{ dbt.date_trunc('day', 'base.created_at') }} as created_day,",
      '    {% for metric in metrics -%}',
      '    coalesce(base.{{ metric }}, 0) as {{ metric }},',
      '    {% endfor -%}',
      "    {{ dbt.safe_cast('base.status', dbt.type_string()) }} as status,",
      '    base.created_at',
      `from ${from} as base`,
      ...joins,
      "where base.created_at >= '{{ var(\"start_date\") }}'",
    );
    if (incremental) lines.push('{% if is_incremental() %}', '  and base.created_at > (select max(created_at) from {{ this }})', '{% endif %}');
    writeFileSync(join(folderPath, `${name}.sql`), `${lines.join('\n')}\n`);
    const yaml = yamlByFolder.get(folder) ?? ['version: 2', 'models:'];
    yaml.push(
      `  - name: ${name}`,
      `    description: Synthetic model ${i}.`,
      '    columns:',
      '      - name: id',
      '        data_tests: [unique, not_null]',
      '      - name: status',
      '        description: Order status.',
    );
    tests += 2;
    yamlByFolder.set(folder, yaml);
    names.push(name);
  }
  for (const [folder, yaml] of yamlByFolder) writeFileSync(join(dir, 'models', folder, '_models.yml'), `${yaml.join('\n')}\n`);
  return { dir, models: n, sources: sourceTables, tests };
}
