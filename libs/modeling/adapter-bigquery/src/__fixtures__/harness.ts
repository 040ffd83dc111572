import { BigQuery } from '@google-cloud/bigquery';
import type { RetryPolicy } from '@sp01/core';
import { GOOGLE_RETRY_POLICY } from '@sp01/core';
import type { FakeBigQuery, FakeBigQueryOptions } from '@sp01/google-fakes';
import { startFakeBigQuery } from '@sp01/google-fakes';
import type { BigQueryAdapter, BigQueryAdapterOptions } from '../bigquery-adapter.js';
import { createBigQueryAdapter } from '../bigquery-adapter.js';
import { LOCATION, PROJECT } from './nodes.js';

export interface Harness {
  fake: FakeBigQuery;
  bigquery: BigQuery;
  adapter: BigQueryAdapter;
  /** Waits the retry policy asked for, in order (job polls included). */
  sleeps: number[];
  close(): Promise<void>;
}

/** The real client pointed at the local BigQuery fake, no credentials, no metadata server. */
export async function startHarness(options: Partial<BigQueryAdapterOptions> = {}, fakeOptions: FakeBigQueryOptions = {}): Promise<Harness> {
  process.env['METADATA_SERVER_DETECTION'] = 'none';
  const fake = await startFakeBigQuery(fakeOptions);
  const bigquery = new BigQuery({ ...fake.clientOptions(PROJECT), location: LOCATION } as ConstructorParameters<typeof BigQuery>[0]);
  const sleeps: number[] = [];
  const retry: RetryPolicy = {
    ...GOOGLE_RETRY_POLICY,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  };
  const adapter = createBigQueryAdapter({
    projectId: PROJECT,
    location: LOCATION,
    datasetPrefix: 'dev_',
    maximumBytesBilled: 1_000_000_000,
    labels: { env: 'test' },
    invocationId: '0f6a2b7c-1d2e-4f5a-9b8c-7d6e5f4a3b2c',
    bigquery,
    retry,
    jobPoll: { initialMs: 1, maxMs: 4 },
    ...options,
  });
  return {
    fake,
    bigquery,
    adapter,
    sleeps,
    async close() {
      await adapter.close();
      await fake.close();
    },
  };
}
