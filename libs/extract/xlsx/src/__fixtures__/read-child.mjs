// Reads one workbook with the built reader in a process of its own, so its peak RSS is the
// reader's alone; polls the spool folder for its largest size. Prints one JSON line.
//   node read-child.mjs FILE TEMP_DIR [LIMITS_JSON]
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPORT_CONTRACTS } from '@sp01/contracts';
import { openReport } from '../../dist/index.js';

const [file, tempDir, limits] = process.argv.slice(2);
let maxTempBytes = 0;
function tempBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    try {
      total += entry.isDirectory() ? tempBytes(path) : statSync(path).size;
    } catch {
      // removed while we looked
    }
  }
  return total;
}
const poll = setInterval(() => {
  maxTempBytes = Math.max(maxTempBytes, tempBytes(tempDir));
}, 5);
let outcome;
try {
  const report = await openReport(createReadStream(file), {
    fileName: file,
    contracts: Object.values(REPORT_CONTRACTS),
    tempDir,
    limits: limits ? JSON.parse(limits) : undefined,
  });
  let rows = 0;
  for await (const _ of report.rows) rows++;
  outcome = { rows };
} catch (error) {
  outcome = { code: error.code ?? 'crash', message: String(error.message).slice(0, 300) };
}
clearInterval(poll);
maxTempBytes = Math.max(maxTempBytes, tempBytes(tempDir));
console.log(JSON.stringify({ ...outcome, maxRssKb: process.resourceUsage().maxRSS, maxTempBytes, leftTempBytes: tempBytes(tempDir) }));
