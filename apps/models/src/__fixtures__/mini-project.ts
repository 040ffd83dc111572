import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';

const MINI_DIR = join(import.meta.dirname, 'mini');

function substitute(dir: string, from: string, to: string): void {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) substitute(path, from, to);
    else if (/\.(yml|sql)$/.test(entry)) writeFileSync(path, readFileSync(path, 'utf8').replaceAll(from, to));
  }
}

export interface MiniProject {
  /** A scratch folder: `project/` (the dbt project), `target/`, `pglite/`. */
  root: string;
  projectDir: string;
  targetDir: string;
  raw: string;
  remove(): void;
}

/** A copy of the mini project whose raw source lives in `<prefix>raw`. */
export function miniProject(prefix: string): MiniProject {
  const root = mkdtempSync(join(tmpdir(), 'models-cli-'));
  const projectDir = join(root, 'project');
  cpSync(MINI_DIR, projectDir, { recursive: true });
  const raw = `${prefix}raw`;
  substitute(projectDir, '__RAW__', raw);
  return { root, projectDir, targetDir: join(root, 'target'), raw, remove: () => rmSync(root, { recursive: true, force: true }) };
}

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** stdout and stderr of one in-process CLI call. */
export function captureStreams() {
  const stdout = new Capture();
  const stderr = new Capture();
  return { io: { stdout, stderr }, out: () => stdout.text, err: () => stderr.text };
}
