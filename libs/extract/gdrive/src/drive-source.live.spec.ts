import { describe, expect, it } from 'vitest';
import { createDriveSource } from './drive-source.js';

const folderId = process.env['GDRIVE_FOLDER_ID'];
const live = process.env['SP01_LIVE_GCP'] === '1' && !!folderId;

// Runs only when asked (SP01_LIVE_GCP=1) against a real folder, with the credentials of
// GOOGLE_APPLICATION_CREDENTIALS or application default credentials; skipped otherwise.
describe.runIf(live)('Drive source against the real Drive API', () => {
  it('lists the folder and downloads its first workbook', async () => {
    const source = createDriveSource({ folderId: folderId as string, recursive: process.env['GDRIVE_RECURSIVE'] === '1' });
    const files = await source.list();
    for (const f of files) {
      expect(f.uri).toMatch(/^gdrive:\/\/[\w-]+$/);
      expect(f.checksum).toMatch(/^(md5:[0-9a-f]{32}|drive-version:[\w-]+:\d+)$/);
      expect(f.modifiedAt.getTime()).not.toBeNaN();
      expect(f.name).toMatch(/\.xlsx$/i);
    }
    const first = files[0];
    if (first) {
      const head: Buffer[] = [];
      for await (const chunk of await first.open()) {
        head.push(Buffer.from(chunk as Uint8Array));
        if (Buffer.concat(head).length >= 4) break;
      }
      // Every .xlsx is a zip: it starts with the local file header signature.
      expect(Buffer.concat(head).subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    }
  });
});
