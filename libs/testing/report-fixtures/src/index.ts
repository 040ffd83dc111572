export {
  CLEAN_TRAITS,
  DATE_STYLES,
  MESSY_TRAITS,
  type BadRow,
  type DateStyle,
  type EnumLabelStyle,
  type GeneratedReport,
  type Language,
  type MessTraits,
  type ReportOptions,
} from './traits.js';
export type { DomainRecords } from './domain-spec.js';
export { expectedRows, generateRecords, type ExpectedRow } from './records.js';
export { writeReport } from './write-report.js';
export { ACTIVE_CHANNELS, CATEGORIES, USER_COUNT, channelId, userId } from './world.js';
export { bigWorkbookBytes, workbookBytes } from './workbook-bytes.js';
