// Preloaded (`node --import`) into a process under measurement: reports its peak RSS on exit.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(2, `\nSP01_BENCH_RSS ${JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS })}\n`);
});
