import { createHash } from 'node:crypto';
import type { Logger } from '@sp01/core';
import { silentLogger } from '@sp01/core';
import type { CrossDatabaseMacros, Dialect } from './dialect.js';
import { ModelingError } from './errors.js';
import type { SourcePosition, Target } from './graph.js';
import type { Expr, Stmt, TemplateAst } from './template/ast.js';
import { bindArguments, isPlainObject, Kwargs, MacroReturn, str } from './template/python-values.js';
import { TemplateRenderer } from './template/render.js';

/**
 * The Jinja context dbt gives a model: ref, source, config, this, is_incremental, var,
 * env_var, target, the `dbt.` cross-database macros, and the project's own macros.
 */

type Callable = (...args: unknown[]) => unknown;

/** What changes from one node to the next; everything else in the context is shared. */
export interface NodeBindings {
  ref: Callable;
  source: Callable;
  config: Callable & { get: Callable; require: Callable };
  this: unknown;
  is_incremental: () => boolean;
  model: Record<string, unknown>;
  /** Unit-test overrides laid over the environment's vars and env. */
  varOverrides?: Record<string, unknown>;
  envOverrides?: Record<string, string>;
  /** Collects `macro.<package>.<name>` ids of macros the node calls. */
  macrosUsed?: Set<string>;
  /** Extra names for this render only (a generic test's `model`, `column_name` …). */
  locals?: Record<string, unknown>;
}

export interface EnvironmentOptions {
  projectName: string;
  dialect: Dialect;
  target: Target;
  vars: Record<string, unknown>;
  env: Record<string, string | undefined>;
  /** dbt's `execute`: false while parsing, true while compiling. */
  execute: boolean;
  macroFiles: readonly TemplateAst[];
  runStartedAt: Date;
  invocationId: string;
  fullRefresh?: boolean;
  logger?: Logger;
}

/** Parameter names of each cross-database macro, so keyword calls bind as in dbt. */
const MACRO_PARAMS: Record<keyof CrossDatabaseMacros, string[]> = {
  date_trunc: ['datepart', 'date'],
  dateadd: ['datepart', 'interval', 'from_date_or_timestamp'],
  datediff: ['first_date', 'second_date', 'datepart'],
  safe_cast: ['field', 'type'],
  cast: ['field', 'type'],
  type_string: [],
  type_int: [],
  type_bigint: [],
  type_numeric: [],
  type_timestamp: [],
  type_float: [],
  type_boolean: [],
  current_timestamp: [],
  concat: ['fields'],
  hash: ['field'],
  cast_bool_to_text: ['field'],
  any_value: ['expression'],
  bool_or: ['expression'],
  split_part: ['string_text', 'delimiter_text', 'part_number'],
  length: ['expression'],
  position: ['substring_text', 'string_text'],
  replace: ['field', 'old_chars', 'new_chars'],
  right: ['string_text', 'length_expression'],
  escape_single_quotes: ['expression'],
  string_literal: ['value'],
  except: [],
  intersect: [],
};

export const CROSS_DATABASE_MACROS = Object.keys(MACRO_PARAMS) as (keyof CrossDatabaseMacros)[];

/** Python's datetime as far as templates print or format it. */
class TemplateDatetime {
  constructor(private readonly date: Date) {}
  isoformat(): string {
    return this.date.toISOString().replace('Z', '+00:00');
  }
  strftime(format: string): string {
    const d = this.date;
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    const parts: Record<string, string> = {
      Y: String(d.getUTCFullYear()),
      m: pad(d.getUTCMonth() + 1),
      d: pad(d.getUTCDate()),
      H: pad(d.getUTCHours()),
      M: pad(d.getUTCMinutes()),
      S: pad(d.getUTCSeconds()),
      f: pad(d.getUTCMilliseconds() * 1000, 6),
      '%': '%',
    };
    return format.replace(/%([YmdHMSf%])/g, (_, code: string) => parts[code] ?? '');
  }
  toString(): string {
    return this.strftime('%Y-%m-%d %H:%M:%S.%f') + '+00:00';
  }
}

export class DbtEnvironment {
  private readonly renderer = new TemplateRenderer();
  private readonly globals: Record<string, unknown>;
  private bindings: NodeBindings | null = null;
  private localKeys: string[] = [];
  private readonly logger: Logger;

  constructor(private readonly options: EnvironmentOptions) {
    this.logger = options.logger ?? silentLogger;
    this.globals = this.sharedGlobals();
    this.installMacros();
  }

  /** Where, in the template being rendered, the current call was written. */
  get position(): SourcePosition {
    return this.renderer.position;
  }

  get dialect(): Dialect {
    return this.options.dialect;
  }

  render(body: readonly Stmt[], file: string, bindings: NodeBindings): string {
    return this.nested(bindings, () => this.renderer.render(body, this.globals, file));
  }

  evaluate(expr: Expr, file: string, bindings: NodeBindings): unknown {
    return this.nested(bindings, () => this.renderer.evaluate(expr, this.globals, file));
  }

  /** One context is shared by every node; a render inside a render gets the outer one back after. */
  private nested<T>(bindings: NodeBindings, run: () => T): T {
    const outer = this.bindings;
    const restore = this.renderer.snapshot();
    this.bind(bindings);
    try {
      return run();
    } finally {
      if (outer) this.bind(outer);
      restore();
    }
  }

  private bind(bindings: NodeBindings): void {
    for (const key of this.localKeys) delete this.globals[key];
    this.bindings = bindings;
    this.globals['ref'] = bindings.ref;
    this.globals['source'] = bindings.source;
    this.globals['config'] = bindings.config;
    this.globals['this'] = bindings.this;
    this.globals['is_incremental'] = bindings.is_incremental;
    this.globals['model'] = bindings.model;
    this.localKeys = Object.keys(bindings.locals ?? {});
    Object.assign(this.globals, bindings.locals);
  }

  private recordMacro(id: string): void {
    this.bindings?.macrosUsed?.add(id);
  }

  private sharedGlobals(): Record<string, unknown> {
    const { dialect, target, projectName } = this.options;
    const dbt: Record<string, Callable> = {};
    for (const name of CROSS_DATABASE_MACROS) {
      const params = MACRO_PARAMS[name];
      const implementation = dialect.macros[name] as (...args: unknown[]) => string;
      dbt[name] = (...args: unknown[]) => {
        this.recordMacro(`macro.dbt.${name}`);
        const bound = bindArguments(name, params, args, { required: params.length });
        return implementation.apply(
          dialect.macros,
          params.map((param) => {
            const value = bound[param];
            if (param === 'fields') return Array.isArray(value) ? value.map(str) : [str(value)];
            return typeof value === 'number' ? value : str(value);
          }),
        );
      };
    }
    const env = (name: string) => this.bindings?.envOverrides?.[name] ?? this.options.env[name];
    const varFunction = Object.assign(
      (...args: unknown[]) => {
        const bound = bindArguments('var', ['name', 'default'], args, { required: 1 });
        const name = str(bound['name']);
        const overrides = this.bindings?.varOverrides;
        if (overrides && Object.hasOwn(overrides, name)) return overrides[name];
        if (Object.hasOwn(this.options.vars, name)) return this.options.vars[name];
        if (Object.hasOwn(bound, 'default')) return bound['default'];
        const nodeName = str(this.bindings?.model['unique_id'] ?? 'this node');
        throw new Error(`Required var '${name}' not found in config:\nVars supplied to ${nodeName} = ${JSON.stringify(this.options.vars)}`);
      },
      {
        has_var: (name: unknown) => Object.hasOwn(this.options.vars, str(name)) || Object.hasOwn(this.bindings?.varOverrides ?? {}, str(name)),
      },
    );
    return {
      ...dbt,
      dbt,
      var: varFunction,
      env_var: (...args: unknown[]) => {
        const bound = bindArguments('env_var', ['var', 'default'], args, { required: 1 });
        const value = env(str(bound['var']));
        if (value !== undefined) return value;
        if (Object.hasOwn(bound, 'default')) return bound['default'];
        throw new Error(`Env var required but not provided: '${str(bound['var'])}'`);
      },
      target: {
        ...target,
        name: target.name,
        type: target.type,
        schema: target.schema,
        database: target.database ?? null,
        project: target.database ?? null,
        dataset: target.schema,
        threads: target.threads ?? 1,
        profile_name: target.profile_name ?? projectName,
      },
      project_name: projectName,
      execute: this.options.execute,
      flags: { FULL_REFRESH: this.options.fullRefresh ?? false, WHICH: 'compile' },
      run_started_at: new TemplateDatetime(this.options.runStartedAt),
      invocation_id: this.options.invocationId,
      adapter: {
        quote: (identifier: unknown) => dialect.quoteIdentifier(str(identifier)),
        type: () => dialect.type,
        dispatch: () => {
          throw new Error('adapter.dispatch() is not supported by this compiler; call the macro directly');
        },
      },
      exceptions: {
        raise_compiler_error: (message: unknown) => {
          throw new Error(str(message));
        },
        warn: (message: unknown) => {
          this.logger.warn(str(message), { position: this.renderer.position });
          return '';
        },
      },
      log: (message: unknown, ...rest: unknown[]) => {
        const info = rest[0] instanceof Kwargs ? rest[0].values['info'] : rest[0];
        if (info === true) this.logger.info(str(message));
        else this.logger.debug(str(message));
        return '';
      },
      print: (message: unknown) => {
        this.logger.info(str(message));
        return '';
      },
      return: (value: unknown) => {
        throw new MacroReturn(value);
      },
      run_query: () => {
        throw new Error('run_query() needs a warehouse connection; the compiler renders without one');
      },
      statement: () => {
        throw new Error('statement blocks need a warehouse connection; the compiler renders without one');
      },
      tojson: (value: unknown) => JSON.stringify(value ?? null),
      fromjson: (value: unknown) => JSON.parse(str(value)) as unknown,
      local_md5: (value: unknown) => createHash('md5').update(str(value)).digest('hex'),
      is_incremental: () => false,
      modules: {
        datetime: {
          datetime: { now: () => new TemplateDatetime(new Date()), utcnow: () => new TemplateDatetime(new Date()) },
        },
      },
    };
  }

  private installMacros(): void {
    const { projectName, macroFiles } = this.options;
    for (const ast of macroFiles) {
      for (const [name, macro] of this.renderer.collectMacros(ast, this.globals)) {
        const id = `macro.${projectName}.${name}`;
        // Project macros win over dbt's own, as in dbt.
        const tracked = Object.assign(
          (...args: unknown[]) => {
            this.recordMacro(id);
            return macro(...args);
          },
          { macroName: name, file: macro.file, line: macro.line },
        );
        this.globals[name] = tracked;
      }
    }
  }

  /** A macro the project defines (not one of dbt's own), or null. */
  macro(name: string): Callable | null {
    const value = this.globals[name];
    return typeof value === 'function' && 'macroName' in value ? (value as unknown as Callable) : null;
  }

  /** Calls a project macro outside any template, e.g. `generate_schema_name(custom, node)`. */
  callMacro(macro: Callable, args: unknown[], file: string, bindings: NodeBindings): unknown {
    return this.nested(bindings, () => {
      try {
        return macro(...args);
      } catch (error) {
        if (error instanceof MacroReturn) return error.value;
        if (error instanceof Error && 'code' in error) throw error;
        throw new ModelingError('template_render', error instanceof Error ? error.message : String(error), { file, line: 0 }, { cause: error });
      }
    });
  }
}

/** dbt's `config` object for one node: a callable that records, with `get` and `require`. */
export function configFunction(
  read: () => Record<string, unknown>,
  record: ((values: Record<string, unknown>) => void) | null,
): NodeBindings['config'] {
  // `config(materialized='table')` and `config({'materialized': 'table'})` both record.
  const call = (...args: unknown[]) => {
    const values: Record<string, unknown> = {};
    for (const arg of args) {
      if (arg instanceof Kwargs) Object.assign(values, arg.values);
      else if (isPlainObject(arg)) Object.assign(values, arg);
    }
    record?.(values);
    return '';
  };
  return Object.assign(call, {
    get: (...args: unknown[]) => {
      const bound = bindArguments('config.get', ['name', 'default'], args, { required: 1 });
      const current = read();
      const key = str(bound['name']);
      const value = current[key] ?? current[key.replaceAll('-', '_')];
      return value === undefined || value === null ? (bound['default'] ?? null) : value;
    },
    require: (name: unknown) => {
      const value = read()[str(name)];
      if (value === undefined || value === null) throw new Error(`Required config '${str(name)}' is not set`);
      return value;
    },
  });
}
