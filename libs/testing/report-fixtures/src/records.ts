import type { Domain } from '@sp01/contracts';
import type { DomainRecords } from './domain-spec.js';
import { planReport } from './plan.js';
import type { BadRow, ReportOptions } from './traits.js';

/** A data row of a report as a reader should see it. */
export interface ExpectedRow<D extends Domain = Domain> {
  rowNumber: number;
  /** Absent when the bad cell is the key itself. */
  key?: string;
  /** The canonical record (with what the file lost, e.g. a dropped column, as undefined). */
  record: DomainRecords[D];
  /** Set when the row breaks a rule: the record is then not expected in the warehouse. */
  bad?: BadRow;
}

/** Every data row the report with these options holds, in sheet order: the truth to compare a reader with. */
export function* expectedRows<D extends Domain>(options: ReportOptions & { domain: D }): Generator<ExpectedRow<D>> {
  for (const row of planReport(options).body()) {
    if (row.kind !== 'data') continue;
    yield {
      rowNumber: row.rowNumber,
      record: row.record as DomainRecords[D],
      ...(row.key === undefined ? {} : { key: row.key }),
      ...(row.bad ? { bad: row.bad } : {}),
    };
  }
}

/**
 * The canonical records a reader and transform should load from the report written with
 * these options: bad rows left out, values as the file lets them be read back (a column
 * the file dropped, or an error cell, is undefined; `text-minutes` dates lose seconds).
 */
export function* generateRecords<D extends Domain>(domain: D, options: Omit<ReportOptions, 'domain'>): Generator<DomainRecords[D]> {
  for (const row of expectedRows({ ...options, domain })) if (!row.bad) yield row.record;
}
