import { headerLabels, normalizeHeader, type CellValue, type ReportContract, type SourceColumn } from '@sp01/contracts';
import type { SheetRow } from './sheet-rows.js';

/** A column of the data sheet that the report's contract knows. */
export interface ReportColumn {
  /** 1-based column number, as Excel counts (A = 1). */
  index: number;
  /** Canonical column name. */
  name: string;
  /** The header as the file has it. */
  header: string;
}

/** The header row of a report, matched to one contract. */
export interface HeaderMatch {
  contract: ReportContract<object>;
  headerRow: number;
  columns: ReportColumn[];
  unknownColumns: string[];
  missingOptionalColumns: string[];
}

interface HeaderCell {
  column: number;
  header: string;
  label: string;
}

interface KnownReport {
  contract: ReportContract<object>;
  required: number;
}

/** How much of one report's header a row has. */
interface Tally {
  report: KnownReport;
  found: Set<string>;
  requiredFound: number;
}

interface SheetHeaders {
  sheet: string;
  row: number;
  headers: string[];
  recognised: number;
}

interface ClosestMatch {
  tally: Tally;
  share: number;
  sheet: string;
  row: number;
}

const MAX_LISTED_HEADERS = 30;

function headerText(value: CellValue | undefined): string | undefined {
  if (value === null || value === undefined || value instanceof Date) return undefined;
  const text = String(value);
  return text.trim() === '' ? undefined : text;
}

function describeColumn(column: SourceColumn): string {
  return `${column.zh} / ${column.en}`;
}

/**
 * Finds a report's header row by its labels: the first row that holds every required
 * header of a contract (Chinese header, English alias or canonical name, matched as
 * `normalizeHeader` does). Rows that come close are remembered, so a failure can say what
 * is missing and what the sheets had instead.
 */
export class HeaderSearch {
  private readonly reports: KnownReport[];
  /** Normalised label → for each report that knows it, the column it names. */
  private readonly labels = new Map<string, { report: KnownReport; column: SourceColumn }[]>();
  private closest: ClosestMatch | undefined;
  private readonly sheets = new Map<string, SheetHeaders>();

  constructor(contracts: readonly ReportContract<object>[]) {
    this.reports = contracts.map((contract) => ({
      contract,
      required: contract.columns.filter((c) => c.headerRequired).length,
    }));
    for (const report of this.reports) {
      for (const column of report.contract.columns) {
        for (const label of headerLabels(column)) {
          const known = this.labels.get(label) ?? [];
          if (!known.some((k) => k.report === report)) known.push({ report, column });
          this.labels.set(label, known);
        }
      }
    }
  }

  /** Notes a sheet that is being scanned, so one without any text is still listed. */
  sawSheet(sheet: string): void {
    if (!this.sheets.has(sheet)) this.sheets.set(sheet, { sheet, row: 0, headers: [], recognised: -1 });
  }

  /** The header match of this row, if it is the header row of one of the reports. */
  inspect(sheet: string, row: SheetRow): HeaderMatch | undefined {
    const cells: HeaderCell[] = [];
    row.values.forEach((value, column) => {
      const header = headerText(value);
      if (header !== undefined) cells.push({ column, header, label: normalizeHeader(header) });
    });
    if (cells.length === 0) return undefined;

    const tallies = new Map<KnownReport, Tally>(this.reports.map((report) => [report, { report, found: new Set(), requiredFound: 0 }]));
    let recognised = 0;
    for (const cell of cells) {
      const known = this.labels.get(cell.label);
      if (!known) continue;
      recognised++;
      for (const { report, column } of known) {
        const tally = tallies.get(report);
        if (!tally || tally.found.has(column.name)) continue;
        tally.found.add(column.name);
        if (column.headerRequired) tally.requiredFound++;
      }
    }
    this.remember(sheet, row.number, cells, recognised, [...tallies.values()]);

    let chosen: Tally | undefined;
    for (const tally of tallies.values()) {
      if (tally.requiredFound < tally.report.required) continue;
      if (!chosen || tally.found.size > chosen.found.size) chosen = tally;
    }
    return chosen && this.match(chosen.report.contract, row.number, cells);
  }

  /** Why no sheet was a report: what the closest report misses, and what each sheet had. */
  describeFailure(headerScanRows: number): string {
    const first = this.reports[0];
    const tally = this.closest?.tally ?? (first && { report: first, found: new Set<string>(), requiredFound: 0 });
    const sheets = [...this.sheets.values()].map((s) =>
      s.headers.length === 0
        ? `sheet "${s.sheet}": none in the first ${headerScanRows} rows`
        : `sheet "${s.sheet}" row ${s.row}: ${s.headers.join(', ')}`,
    );
    const found = `Headers found: ${sheets.length === 0 ? 'none' : sheets.join('; ')}`;
    if (!tally) return `no sheet has the header row of a report. ${found}`;
    const { contract } = tally.report;
    const missing = contract.columns.filter((c) => c.headerRequired && !tally.found.has(c.name)).map(describeColumn);
    const where = this.closest && this.closest.share > 0 ? ` (closest: sheet "${this.closest.sheet}" row ${this.closest.row})` : '';
    return (
      `no sheet has the header row of a known report (${this.reports.map((r) => r.contract.domain).join(', ')}); ` +
      `the ${contract.domain} report (${contract.title.zh}) misses the required headers ${missing.join(', ')}${where}. ${found}`
    );
  }

  private remember(sheet: string, row: number, cells: HeaderCell[], recognised: number, tallies: Tally[]): void {
    const seen = this.sheets.get(sheet);
    const better =
      !seen ||
      recognised > seen.recognised ||
      (recognised === 0 && seen.recognised <= 0 && cells.length > seen.headers.length);
    if (better) {
      const headers = cells.slice(0, MAX_LISTED_HEADERS).map((c) => c.header.trim());
      if (cells.length > MAX_LISTED_HEADERS) headers.push(`… ${cells.length - MAX_LISTED_HEADERS} more`);
      this.sheets.set(sheet, { sheet, row, headers, recognised });
    }
    for (const tally of tallies) {
      const share = tally.requiredFound / Math.max(1, tally.report.required);
      if (!this.closest || share > this.closest.share) this.closest = { tally, share, sheet, row };
    }
  }

  private match(contract: ReportContract<object>, headerRow: number, cells: HeaderCell[]): HeaderMatch {
    const columns: ReportColumn[] = [];
    const unknown = new Set<string>();
    const taken = new Set<string>();
    for (const cell of cells) {
      const column = this.labels.get(cell.label)?.find((k) => k.report.contract === contract)?.column;
      if (column && !taken.has(column.name)) {
        taken.add(column.name);
        columns.push({ index: cell.column + 1, name: column.name, header: cell.header });
      } else {
        // A header nobody asked for, or a second column under a header already taken.
        unknown.add(cell.header.trim());
      }
    }
    return {
      contract,
      headerRow,
      columns,
      unknownColumns: [...unknown],
      missingOptionalColumns: contract.columns.filter((c) => !c.headerRequired && !taken.has(c.name)).map((c) => c.name),
    };
  }
}
