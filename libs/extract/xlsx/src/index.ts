export { DEFAULT_READER_LIMITS, type ReaderLimits } from './limits.js';
export type { ReportColumn } from './header-search.js';
export { openReport, isTotalsLabel, type OpenedReport, type OpenReportOptions } from './open-report.js';
