import { createHash } from 'node:crypto';

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    // Castagnoli polynomial, reflected: what Cloud Storage reports as `crc32c`.
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC32C_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Cloud Storage's encodings: base64 of the big-endian CRC32C and of the MD5 digest. */
export function storageHashes(bytes: Uint8Array): { crc32c: string; md5Hash: string } {
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32c(bytes));
  return { crc32c: crc.toString('base64'), md5Hash: createHash('md5').update(bytes).digest('base64') };
}
