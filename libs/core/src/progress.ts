/** Live progress for long work: a single rewritten line on a terminal, nothing elsewhere (logs carry the facts). */
export interface Progress {
  update(label: string, done: number, total?: number): void;
  clear(): void;
}

export function createProgress(stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr): Progress {
  if (!stream.isTTY) return { update: () => undefined, clear: () => undefined };
  let last = 0;
  let shown = false;
  return {
    update(label, done, total) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      const amount = total ? `${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}` : done.toLocaleString('en-US');
      stream.write(`\r\x1b[2K${label} ${amount}`);
      shown = true;
    },
    clear() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
