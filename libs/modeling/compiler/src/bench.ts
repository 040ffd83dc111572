import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileGraph } from './compile.js';
import { buildManifest, writeManifest } from './manifest.js';
import { parseProject } from './parse.js';
import { postgresDialect } from './postgres-dialect.js';
import { generateSyntheticProject } from './synthetic-project.js';

/**
 * `nx run modeling-compiler:bench`: compile time of generated projects, parse + compile
 * (postgres) + manifest written to disk. Each size runs once cold (first time in the
 * process: JIT not warm) and then RUNS times warm. The machine may be shared, so warm
 * figures are given as the fastest run and the median, plus the median CPU time.
 */

const SIZES = [100, 500, 1000];
const RUNS = 7;

interface Timing {
  parse: number;
  compile: number;
  manifest: number;
  total: number;
  cpu: number;
}

function time<T>(run: () => T): [T, number] {
  const start = performance.now();
  const result = run();
  return [result, performance.now() - start];
}

function once(projectDir: string, targetDir: string): Timing {
  const cpuStart = process.cpuUsage();
  const [graph, parse] = time(() => parseProject({ projectDir, env: {} }));
  const [compiled, compile] = time(() => compileGraph(graph, { dialect: postgresDialect, env: {} }));
  const [, manifest] = time(() => writeManifest(targetDir, buildManifest(graph, { dialect: postgresDialect, compiled: compiled.nodes })));
  const cpu = process.cpuUsage(cpuStart);
  return { parse, compile, manifest, total: parse + compile + manifest, cpu: (cpu.user + cpu.system) / 1000 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

const ms = (value: number, width = 9) => `${value.toFixed(0)} ms`.padStart(width);
const header = ['models', 'nodes', 'cold', 'parse', 'compile', 'manifest', 'warm min', 'warm med', 'cpu med'];
const widths = [6, 6, 9, 9, 9, 9, 9, 9, 9];
const row = (cells: string[]) => cells.map((cell, i) => cell.padStart(widths[i] as number)).join(' | ');

const root = mkdtempSync(join(tmpdir(), 'modeling-compiler-bench-'));
try {
  console.log(`modeling-compiler bench: parse + compile (postgres) + manifest.json; ${RUNS} warm runs (parse/compile/manifest are medians)\n`);
  console.log(row(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const size of SIZES) {
    const dir = join(root, `project-${size}`);
    const summary = generateSyntheticProject(dir, size);
    const cold = once(dir, join(dir, 'target'));
    const runs = Array.from({ length: RUNS }, () => once(dir, join(dir, 'target')));
    const pick = (key: keyof Timing) => median(runs.map((r) => r[key]));
    console.log(
      row([
        String(size),
        String(summary.models + summary.tests + summary.sources),
        ms(cold.total),
        ms(pick('parse')),
        ms(pick('compile')),
        ms(pick('manifest')),
        ms(Math.min(...runs.map((r) => r.total))),
        ms(pick('total')),
        ms(pick('cpu')),
      ]),
    );
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
