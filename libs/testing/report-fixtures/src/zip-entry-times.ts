import { open } from 'node:fs/promises';

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_LENGTH = 22;

/**
 * Sets every entry's modified time in a zip (an .xlsx) to one wall-clock time. The zip
 * writers under exceljs stamp entries with the current time, the only thing that made two
 * writes of the same report differ byte for byte. Patches the central directory and the
 * local headers in place, so it costs the same for a 10-row and a million-row file.
 */
export async function setZipEntryTimes(path: string, wall: Date): Promise<void> {
  const time = (wall.getUTCHours() << 11) | (wall.getUTCMinutes() << 5) | (wall.getUTCSeconds() >> 1);
  const date = ((wall.getUTCFullYear() - 1980) << 9) | ((wall.getUTCMonth() + 1) << 5) | wall.getUTCDate();
  const stamp = Buffer.alloc(4);
  stamp.writeUInt16LE(time, 0);
  stamp.writeUInt16LE(date, 2);

  const handle = await open(path, 'r+');
  try {
    const { size } = await handle.stat();
    const tailLength = Math.min(size, EOCD_LENGTH + 0xffff);
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
    let eocd = -1;
    for (let i = tailLength - EOCD_LENGTH; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new Error(`${path} is not a zip file (no end of central directory)`);
    const entries = tail.readUInt16LE(eocd + 10);
    const centralSize = tail.readUInt32LE(eocd + 12);
    const centralOffset = tail.readUInt32LE(eocd + 16);
    // Zip64 archives (over 4 GB) keep their real offsets elsewhere; leave them untouched.
    if (centralOffset === 0xffffffff || entries === 0xffff) return;
    const central = Buffer.alloc(centralSize);
    await handle.read(central, 0, centralSize, centralOffset);
    const local = Buffer.alloc(4);
    let p = 0;
    for (let e = 0; e < entries; e++) {
      if (central.readUInt32LE(p) !== CENTRAL_SIGNATURE) throw new Error(`${path}: bad central directory entry ${e}`);
      central.writeUInt16LE(time, p + 12);
      central.writeUInt16LE(date, p + 14);
      const localOffset = central.readUInt32LE(p + 42);
      await handle.read(local, 0, 4, localOffset);
      if (local.readUInt32LE(0) !== LOCAL_SIGNATURE) throw new Error(`${path}: bad local header for entry ${e}`);
      await handle.write(stamp, 0, 4, localOffset + 10);
      p += 46 + central.readUInt16LE(p + 28) + central.readUInt16LE(p + 30) + central.readUInt16LE(p + 32);
    }
    await handle.write(central, 0, centralSize, centralOffset);
  } finally {
    await handle.close();
  }
}
