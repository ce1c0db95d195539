// /proc/diskstats: "major minor name" then 11 counters (kernels < 4.18), 15 (4.18+, discards) or
// 17 (5.5+, flushes); the counters we read keep their place in every layout. Before 2.6.25 a
// partition line had only 4 counters; partitions are skipped anyway, so such lines are ignored.

/** diskstats counts 512-byte units whatever the device's real sector size is. */
export const SECTOR_BYTES = 512;

export interface DiskStat {
  device: string;
  readSectors: number;
  writeSectors: number;
  readBytes: number;
  writeBytes: number;
}

// Skip RAM-backed and loop devices (their I/O is not disk I/O; zram is compressed swap in RAM) and
// partitions, whose I/O is already counted in their whole disk: sda1, vdb2, xvda1, and the
// "<digit>p<n>" style of nvme0n1p1, mmcblk0p1, cciss/c0d0p1. Device-mapper (dm-*) and md arrays
// stay: they are what LVM/RAID users look at, at the price of some double counting.
const SKIP = /^(loop\d+|z?ram\d+|fd\d+|(h|s|v|xv)d[a-z]+\d+)$|\dp\d+$/;

export function parseDiskStats(text: string): DiskStat[] {
  const disks: DiskStat[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const device = fields[2];
    if (device === undefined || fields.length < 14 || SKIP.test(device)) continue;
    const readSectors = Number(fields[5]);
    const writeSectors = Number(fields[9]);
    if (!Number.isFinite(readSectors) || !Number.isFinite(writeSectors)) continue;
    disks.push({
      device,
      readSectors,
      writeSectors,
      readBytes: readSectors * SECTOR_BYTES,
      writeBytes: writeSectors * SECTOR_BYTES,
    });
  }
  return disks;
}
