import type { z } from 'zod';
import type { CellContext, CellValue } from './cells.js';
import type { DomainTransform, RowReject, SourceRow, TransformedRow } from './pipeline.js';
import type { ReportContract, SourceCells } from './report.js';

/**
 * A cell as the file had it, for the rejects table: text untouched (not normalised, so a
 * reader of `raw.rejected_rows` sees exactly what the back office sent), date cells as
 * their wall-clock time.
 */
export function rawCellText(value: CellValue | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString().slice(0, 19).replace('T', ' ');
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return String(value);
}

/** One reject per failing column, naming the raw value and why it failed. */
export function issuesToRejects(issues: readonly z.core.$ZodIssue[], cells: SourceCells): RowReject[] {
  const seen = new Set<string>();
  const rejects: RowReject[] = [];
  for (const issue of issues) {
    const column = issue.path.length > 0 ? String(issue.path[0]) : null;
    const key = `${column}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rejects.push({ column, value: column === null ? null : rawCellText(cells[column]), reason: issue.message });
  }
  return rejects;
}

/**
 * Builds a domain transform from its contract and its derivations: the contract's row schema
 * types and validates the cells, `derive` adds what the domain computes from a valid row.
 */
export function defineDomainTransform<TRow extends object, TRecord extends object>(
  contract: ReportContract<TRow>,
  derive: (row: TRow) => TRecord,
): DomainTransform<TRecord> {
  return {
    domain: contract.domain,
    contract: contract as ReportContract<object>,
    forFile(ctx: CellContext) {
      const schema = contract.rowSchema(ctx);
      return (row: SourceRow): TransformedRow<TRecord> => {
        const parsed = schema.safeParse(row.cells);
        const base = { sheet: row.sheet, rowNumber: row.rowNumber, ...(row.warnings ? { warnings: row.warnings } : {}) };
        if (!parsed.success) return { ...base, ok: false, rejects: issuesToRejects(parsed.error.issues, row.cells) };
        return { ...base, ok: true, record: derive(parsed.data) };
      };
    },
  };
}
