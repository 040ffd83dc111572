export { createGcsSource, folderPrefix, type GcsSourceOptions } from './gcs-source.js';
export { storageClient, type StorageClientOptions } from './storage-client.js';
export { GcsApiError } from './gcs-api-error.js';
