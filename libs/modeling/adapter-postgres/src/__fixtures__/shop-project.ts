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

/** The raw tables as the ETL would leave them on day 1. */
export async function loadDay1(adapter: WarehouseAdapter, raw: string): Promise<void> {
  await adapter.execute(`
    create schema if not exists "${raw}";
    create table "${raw}".customers (id integer, name text, tier text, updated_at timestamp, loaded_at timestamptz);
    create table "${raw}".orders (id integer, customer_id integer, order_date date, status text, amount numeric(10,2), loaded_at timestamptz);
    create table "${raw}".events (id integer, kind text, occurred_at timestamp, loaded_at timestamptz);
    insert into "${raw}".customers values
      (1, 'Ada', 'gold', '2024-01-01 09:00', now()),
      (2, 'Alan', 'silver', '2024-01-01 09:00', now()),
      (3, 'Grace', 'bronze', '2024-01-01 09:00', now());
    insert into "${raw}".orders values
      (100, 1, '2024-01-01', 'placed', 10.00, now()),
      (101, 2, '2024-01-01', 'placed', 20.00, now()),
      (102, 1, '2024-01-01', 'shipped', 5.50, now());
    insert into "${raw}".events values
      (1, 'login', '2024-01-01 10:00', now()),
      (2, 'click', '2024-01-01 11:00', now());
  `);
}

/** Day 2: new orders, a day-1 order returned, a new event, Alan promoted, Grace deleted. */
export async function loadDay2(adapter: WarehouseAdapter, raw: string): Promise<void> {
  await adapter.execute(`
    insert into "${raw}".orders values
      (103, 2, '2024-01-02', 'placed', 7.00, now()),
      (104, 1, '2024-01-02', 'placed', 1.00, now());
    update "${raw}".orders set status = 'returned' where id = 102;
    insert into "${raw}".events values (3, 'logout', '2024-01-02 09:00', now());
    update "${raw}".customers set tier = 'gold', updated_at = '2024-01-02 09:00' where id = 2;
    delete from "${raw}".customers where id = 3;
  `);
}

/** Day 3: a new order, a day-2 amount corrected, Grace back, Ada renamed. */
export async function loadDay3(adapter: WarehouseAdapter, raw: string): Promise<void> {
  await adapter.execute(`
    insert into "${raw}".orders values (105, 2, '2024-01-03', 'placed', 3.00, now());
    update "${raw}".orders set amount = 2.00 where id = 104;
    insert into "${raw}".customers values (3, 'Grace', 'bronze', '2024-01-03 09:00', now());
    update "${raw}".customers set name = 'Ada L.', updated_at = '2024-01-03 09:00' where id = 1;
  `);
}
