export { createGcsSource, folderPrefix, type GcsSourceOptions } from './gcs-source.js';
export { ARCHIVE_CHECKSUM_KEY, ARCHIVE_SOURCE_KEY, createGcsArchive, type ArchivedFile, type GcsArchive, type GcsArchiveOptions } from './gcs-archive.js';
export { storageClient, type StorageClientOptions } from './storage-client.js';
export { GcsApiError } from './gcs-api-error.js';
