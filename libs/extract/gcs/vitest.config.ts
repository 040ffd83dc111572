import { projectTestConfig } from '@sp01/vitest-preset';

// google-auth-library probes the GCE metadata server when it looks for credentials; on a
// machine without one that costs seconds per test. Live runs keep the probe, so they also
// work on GCE, Cloud Run or Cloud Build with the runtime's service account.
export default projectTestConfig(import.meta.dirname, {
  env: process.env['SP01_LIVE_GCP'] === '1' ? {} : { METADATA_SERVER_DETECTION: 'none' },
});
