import type { Domain, Source, SourceFile, Warehouse } from '@sp01/contracts';
import type { Logger } from '@sp01/core';
import type { DriveAuth } from '@sp01/extract-gdrive';
import { createLocalSource } from '@sp01/extract-local';
import type { BigQueryWarehouseOptions } from '@sp01/load-bigquery';
import { createPgliteWarehouse, createPostgresWarehouse } from '@sp01/load-postgres';
import type { EtlSettings } from './settings.js';

// The Google client libraries take about a second to import; a local run never loads them.

/** Clients built elsewhere (tests, or a host that manages credentials itself). */
export interface Clients {
  driveAuth?: DriveAuth;
  bigquery?: BigQueryWarehouseOptions['bigquery'];
  storage?: BigQueryWarehouseOptions['storage'];
}

export async function createSource(settings: EtlSettings, logger: Logger, clients: Clients = {}): Promise<Source> {
  switch (settings.source) {
    case 'gdrive': {
      const { createDriveSource } = await import('@sp01/extract-gdrive');
      return createDriveSource({
        folderId: settings.gdriveFolder as string,
        recursive: settings.recursive,
        auth: clients.driveAuth,
        rootUrl: settings.driveRootUrl,
        logger,
      });
    }
    case 'gcs': {
      const { createGcsSource } = await import('@sp01/extract-gcs');
      return createGcsSource({
        bucket: settings.gcsBucket as string,
        prefix: settings.gcsPrefix,
        recursive: settings.recursive,
        storage: clients.storage,
        apiEndpoint: settings.gcsApiEndpoint,
        logger,
      });
    }
    case 'local':
      return createLocalSource({ dir: settings.sourceDir as string, recursive: settings.recursive });
  }
}

export async function createWarehouse(settings: EtlSettings, logger: Logger, clients: Clients = {}): Promise<Warehouse> {
  switch (settings.warehouse) {
    case 'bigquery': {
      const { createBigQueryWarehouse } = await import('@sp01/load-bigquery');
      return createBigQueryWarehouse({
        projectId: settings.bigqueryProject as string,
        datasetPrefix: settings.bigqueryDatasetPrefix,
        location: settings.bigqueryLocation,
        stagingBucket: settings.gcsStagingBucket,
        maximumBytesBilled: settings.maxBytesBilled,
        labels: { app: 'sp01', component: 'etl' },
        bigquery: clients.bigquery,
        storage: clients.storage,
        apiEndpoint: settings.bigqueryApiEndpoint,
        logger,
      });
    }
    case 'postgres':
      return createPostgresWarehouse({ url: settings.databaseUrl as string, schemaPrefix: settings.schemaPrefix, logger });
    case 'pglite':
      return createPgliteWarehouse({ dataDir: settings.pgliteDir, schemaPrefix: settings.schemaPrefix, logger });
  }
}

/** Copies each loaded file to the Cloud Storage archive, so the raw layer can be rebuilt from files. */
export type Archive = (file: SourceFile, domain: Domain, businessDate: string) => Promise<string>;

export async function createArchive(settings: EtlSettings, logger: Logger, clients: Clients = {}): Promise<Archive | undefined> {
  if (!settings.archiveBucket) return undefined;
  const { createGcsArchive } = await import('@sp01/extract-gcs');
  const archive = createGcsArchive({
    bucket: settings.archiveBucket,
    prefix: settings.archivePrefix,
    storage: clients.storage,
    apiEndpoint: settings.gcsApiEndpoint,
    logger,
  });
  return async (file, domain, businessDate) => (await archive.archive(file, domain, businessDate)).uri;
}
