import { describe, expect, it } from 'vitest';
import { createGcsSource } from './gcs-source.js';

const bucket = process.env['GCS_BUCKET'];
const live = process.env['SP01_LIVE_GCP'] === '1' && !!bucket;

// Runs only when asked (SP01_LIVE_GCP=1) against a real bucket, with the credentials of
// GOOGLE_APPLICATION_CREDENTIALS or application default credentials; skipped otherwise.
describe.runIf(live)('Cloud Storage source against the real JSON API', () => {
  it('lists the prefix and downloads its first workbook', async () => {
    const source = createGcsSource({
      bucket: bucket as string,
      prefix: process.env['GCS_PREFIX'] ?? '',
      recursive: process.env['GCS_RECURSIVE'] === '1',
      ...(process.env['GOOGLE_CLOUD_PROJECT'] ? { projectId: process.env['GOOGLE_CLOUD_PROJECT'] } : {}),
    });
    const files = await source.list();
    for (const f of files) {
      expect(f.uri).toMatch(new RegExp(`^gs://${bucket}/.+#\\d+$`));
      expect(f.checksum).toMatch(/^(md5:[0-9a-f]{32}|crc32c:[0-9a-f]{8})$/);
      expect(f.modifiedAt.getTime()).not.toBeNaN();
    }
    const first = files[0];
    if (first) {
      const parts: Buffer[] = [];
      for await (const chunk of await first.open()) parts.push(Buffer.from(chunk as Uint8Array));
      const bytes = Buffer.concat(parts);
      expect(bytes.length).toBe(first.size);
      // Every .xlsx is a zip: it starts with the local file header signature.
      expect(bytes.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    }
  });
});
