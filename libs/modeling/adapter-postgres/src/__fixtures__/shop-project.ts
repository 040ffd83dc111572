import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProjectGraph, Target } from '@sp01/modeling-compiler';
import { parseProject } from '@sp01/modeling-compiler';
import type { WarehouseAdapter } from '@sp01/modeling-executor';

/** The fixture project: every materialization, strategy, snapshot mode and test kind on PostgreSQL. */
export const SHOP_DIR = join(import.meta.dirname, 'shop');

function substitute(dir: string, from: string, to: string): void {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) substitute(path, from, to);
    else if (/\.(yml|sql)$/.test(entry)) writeFileSync(path, readFileSync(path, 'utf8').replaceAll(from, to));
  }
}

export interface ShopProject {
  dir: string;
  prefix: string;
  raw: string;
  target: Target;
  parse(vars?: Record<string, unknown>): ProjectGraph;
  remove(): void;
}

/**
 * A copy of the shop project whose schemas all start with `prefix`: the raw source schema
 * is `<prefix>raw`, the target schema `<prefix>analytics`, so test files never collide.
 */
export function shopProject(prefix: string): ShopProject {
  const dir = mkdtempSync(join(tmpdir(), 'modeling-shop-'));
  cpSync(SHOP_DIR, dir, { recursive: true });
  const raw = `${prefix}raw`;
  substitute(dir, '__RAW__', raw);
  const target: Target = { name: 'dev', type: 'postgres', schema: `${prefix}analytics`, database: null, threads: 4 };
  return {
    dir,
    prefix,
    raw,
    target,
    parse: (vars) => parseProject({ projectDir: dir, target, vars }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Schemas the shop project writes to, for clean-up on a shared server. */
export function shopSchemas(prefix: string): string[] {
  const base = `${prefix}analytics`;
  return [`${prefix}raw`, base, `${base}_staging`, `${base}_seeds`, `${base}_snapshots`, `${base}_dbt_test__audit`];
}

export async function dropSchemas(adapter: WarehouseAdapter, schemas: readonly string[]): Promise<void> {
  for (const schema of schemas) await adapter.execute(`drop schema if exists "${schema}" cascade`);
}

/**
 * The raw tables of day 1, 2 or 3 (`shop-days/dayN.sql`, also read by dbt-core in the oracle
 * suite of tools/dbt-oracle), with the raw schema named.
 */
export function daySql(day: 1 | 2 | 3, raw: string): string {
  return readFileSync(join(import.meta.dirname, 'shop-days', `day${day}.sql`), 'utf8').replaceAll('__RAW__', raw);
}

/** The raw tables as the ETL would leave them on day 1. */
export async function loadDay1(adapter: WarehouseAdapter, raw: string): Promise<void> {
  await adapter.execute(daySql(1, raw));
}

/** Day 2: new orders, a day-1 order returned, a new event, Alan promoted, Grace deleted. */
export async function loadDay2(adapter: WarehouseAdapter, raw: string): Promise<void> {
  await adapter.execute(daySql(2, raw));
}

/** Day 3: a new order, a day-2 amount corrected, Grace back, Ada renamed. */
export async function loadDay3(adapter: WarehouseAdapter, raw: string): Promise<void> {
  await adapter.execute(daySql(3, raw));
}
