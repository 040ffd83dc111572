export {
  createDriveSource,
  DRIVE_FOLDER_MIME,
  DRIVE_READONLY_SCOPE,
  GOOGLE_SHEET_MIME,
  XLSX_MIME,
  type DriveAuth,
  type DriveSourceOptions,
} from './drive-source.js';
export { DriveApiError } from './drive-api-error.js';
