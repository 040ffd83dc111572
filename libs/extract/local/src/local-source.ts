import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Sp01Error } from '@sp01/core';
import type { Source, SourceFile } from '@sp01/contracts';

export interface LocalSourceOptions {
  /** The folder the back office's exports land in. */
  dir: string;
  /** Also look in sub-folders (ids are then relative paths such as `2025-03/top_up.xlsx`). */
  recursive?: boolean;
}

/** Excel leaves `~$name.xlsx` lock files beside open workbooks; they are not reports. */
function isWorkbookName(name: string): boolean {
  return /\.xlsx$/i.test(name) && !name.startsWith('~$') && !name.startsWith('.');
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}

/** A folder of `.xlsx` exports: each file with size, modified time and SHA-256. */
export function createLocalSource(options: LocalSourceOptions): Source {
  const root = path.resolve(options.dir);
  return {
    description: `local folder ${root}`,
    async list(): Promise<SourceFile[]> {
      let names: string[];
      try {
        names = await readdir(root, { recursive: options.recursive ?? false });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const why = code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a folder' : `cannot be read (${code})`;
        throw new Sp01Error('source_unavailable', `Source folder ${root} ${why}`, { cause: err });
      }
      const files: SourceFile[] = [];
      for (const relative of names.filter((n) => isWorkbookName(path.basename(n))).sort()) {
        const full = path.join(root, relative);
        const info = await stat(full);
        if (!info.isFile()) continue;
        files.push({
          id: relative.split(path.sep).join('/'),
          name: path.basename(relative),
          uri: pathToFileURL(full).href,
          size: info.size,
          modifiedAt: info.mtime,
          checksum: await sha256File(full),
          open: async () => createReadStream(full),
        });
      }
      return files;
    },
  };
}
