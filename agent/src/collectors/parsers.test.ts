// Every parser against each captured/hand-written fixture set, with concrete expected values.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cpuPercents, parseCpuStat } from './cpu';
import { parseDiskStats } from './disk';
import { parseMounts } from './filesystems';
import { parseLoadAvg } from './load';
import { parseMemInfo } from './memory';
import { parseNetDev } from './network';
import { parseUptime } from './uptime';

const fixture = (set: string, file: string): string =>
  readFileSync(fileURLToPath(new URL(`./fixtures/${set}/${file}`, import.meta.url)), 'utf8');
const KiB = 1024;

describe('linux-6.18-vm-captured (this machine)', () => {
  const f = (file: string) => fixture('linux-6.18-vm-captured', file);

  it('parses /proc/stat with 10 columns', () => {
    expect(parseCpuStat(f('stat'))).toEqual({
      total: {
        user: 33792,
        nice: 0,
        system: 16935,
        idle: 111957,
        iowait: 1004,
        irq: 0,
        softirq: 349,
        steal: 79,
        guest: 0,
        guestNice: 0,
      },
      cpuCount: 2,
    });
  });

  it('parses loadavg, uptime and meminfo', () => {
    expect(parseLoadAvg(f('loadavg'))).toEqual({ load1: 4.56, load5: 2.16, load15: 0.96 });
    expect(parseUptime(f('uptime'))).toBe(828.27);
    expect(parseMemInfo(f('meminfo'))).toEqual({
      totalBytes: 24684084 * KiB,
      availableBytes: 23353280 * KiB,
      availableReported: true,
      swapTotalBytes: 0,
      swapFreeBytes: 0,
    });
  });

  it('keeps the virtio disk and drops loop and zram devices (20-field diskstats)', () => {
    expect(parseDiskStats(f('diskstats'))).toEqual([
      {
        device: 'vda',
        readSectors: 2068082,
        writeSectors: 11972024,
        readBytes: 2068082 * 512,
        writeBytes: 11972024 * 512,
      },
    ]);
  });

  it('lists interfaces without lo', () => {
    expect(parseNetDev(f('net/dev'))).toEqual([
      { iface: 'ifb0', rxBytes: 0, txBytes: 0 },
      { iface: 'ifb1', rxBytes: 0, txBytes: 0 },
      { iface: 'eth0', rxBytes: 447647650, txBytes: 1370988 },
    ]);
  });

  it('keeps only the ext4 root among proc/sysfs/tmpfs/cgroup mounts', () => {
    expect(parseMounts(f('mounts'))).toEqual([{ device: '/dev/vda', mountpoint: '/', fstype: 'ext4' }]);
  });
});

describe('linux-5.15-container-host', () => {
  const f = (file: string) => fixture('linux-5.15-container-host', file);

  it('counts 8 CPUs and keeps guest apart from the modes', () => {
    const { total, cpuCount } = parseCpuStat(f('stat'));
    expect(cpuCount).toBe(8);
    expect(total).toMatchObject({
      user: 4000000,
      idle: 30000000,
      iowait: 200000,
      guest: 300000,
      guestNice: 0,
    });
  });

  it('reads MemAvailable and swap in bytes, ignoring unitless HugePages lines', () => {
    expect(parseMemInfo(f('meminfo'))).toEqual({
      totalBytes: 65843188 * KiB,
      availableBytes: 40123456 * KiB,
      availableReported: true,
      swapTotalBytes: 8388604 * KiB,
      swapFreeBytes: 8123456 * KiB,
    });
  });

  it('keeps whole NVMe disks, dm and sr devices; skips partitions and loops', () => {
    const disks = parseDiskStats(f('diskstats'));
    expect(disks.map((d) => d.device)).toEqual(['nvme0n1', 'nvme1n1', 'dm-0', 'sr0']);
    expect(disks[0]).toEqual({
      device: 'nvme0n1',
      readSectors: 123456789,
      writeSectors: 987654321,
      readBytes: 63209875968,
      writeBytes: 505679012352,
    });
  });

  it('lists eth0, docker0 and the veth, not lo', () => {
    expect(parseNetDev(f('net/dev'))).toEqual([
      { iface: 'eth0', rxBytes: 9876543210, txBytes: 1234567890 },
      { iface: 'docker0', rxBytes: 456789012, txBytes: 567890123 },
      { iface: 'veth1a2b3c4', rxBytes: 1234567, txBytes: 2345678 },
    ]);
  });

  it('keeps real filesystems once per device, unescaping \\040 and dropping overlay/squashfs/nsfs/tmpfs', () => {
    expect(parseMounts(f('mounts'))).toEqual([
      { device: '/dev/mapper/vg0-root', mountpoint: '/', fstype: 'ext4' },
      { device: '/dev/nvme0n1p2', mountpoint: '/boot', fstype: 'ext4' },
      { device: '/dev/nvme0n1p1', mountpoint: '/boot/efi', fstype: 'vfat' },
      { device: '/dev/nvme1n1p1', mountpoint: '/srv/backup data', fstype: 'xfs' },
      { device: 'nas01:/export/media', mountpoint: '/mnt/media', fstype: 'nfs4' },
    ]);
  });

  it('computes CPU percentages from the 10-second-later sample', () => {
    const prev = parseCpuStat(f('stat')).total;
    const cur = parseCpuStat(fixture('linux-5.15-container-host.next', 'stat')).total;
    expect(cpuPercents(prev, cur)).toEqual({
      busy: 40,
      user: 25,
      nice: 0,
      system: 12.5,
      idle: 55,
      iowait: 5,
      irq: 0,
      softirq: 2.5,
      steal: 0,
    });
  });
});

describe('linux-4.19-server', () => {
  const f = (file: string) => fixture('linux-4.19-server', file);

  it('parses 18-field diskstats: whole sd disks and md arrays, no partitions', () => {
    const disks = parseDiskStats(f('diskstats'));
    expect(disks.map((d) => d.device)).toEqual(['sda', 'sdb', 'md0', 'md1', 'sr0']);
    expect(disks[0]).toMatchObject({ readSectors: 140834342, writeSectors: 389213402 });
    expect(disks[3]).toMatchObject({ readSectors: 281560000, writeSectors: 389200000 });
  });

  it('parses 16 CPUs, bonded interfaces with 13-digit counters, swap in use', () => {
    expect(parseCpuStat(f('stat')).cpuCount).toBe(16);
    expect(parseNetDev(f('net/dev')).map((n) => n.iface)).toEqual(['eno1', 'eno2', 'bond0', 'bond0.100']);
    expect(parseNetDev(f('net/dev'))[0]).toEqual({
      iface: 'eno1',
      rxBytes: 2345678901234,
      txBytes: 345678901234,
    });
    expect(parseMemInfo(f('meminfo'))).toMatchObject({
      swapTotalBytes: 4194300 * KiB,
      swapFreeBytes: 3145724 * KiB,
    });
    expect(parseLoadAvg(f('loadavg'))).toEqual({ load1: 4.02, load5: 3.87, load15: 3.55 });
  });

  it('drops rootfs and the bind mount of the root device', () => {
    expect(parseMounts(f('mounts'))).toEqual([
      { device: '/dev/md1', mountpoint: '/', fstype: 'xfs' },
      { device: '/dev/md0', mountpoint: '/boot', fstype: 'xfs' },
    ]);
  });
});

describe('linux-2.6.9-rhel4 (legacy layouts)', () => {
  const f = (file: string) => fixture('linux-2.6.9-rhel4', file);

  it('reads a 7-column cpu line (no steal/guest) as zeros for the missing modes', () => {
    expect(parseCpuStat(f('stat'))).toEqual({
      total: {
        user: 2255,
        nice: 34,
        system: 2290,
        idle: 22625563,
        iowait: 6290,
        irq: 127,
        softirq: 456,
        steal: 0,
        guest: 0,
        guestNice: 0,
      },
      cpuCount: 2,
    });
  });

  it('estimates available memory as MemFree + Buffers + Cached without MemAvailable', () => {
    expect(parseMemInfo(f('meminfo'))).toEqual({
      totalBytes: 4041528 * KiB,
      availableBytes: (123456 + 234567 + 2345678) * KiB,
      availableReported: false,
      swapTotalBytes: 2097144 * KiB,
      swapFreeBytes: 2031608 * KiB,
    });
  });

  it('parses 14-field disk lines, ignores 7-field partition lines and ram/fd/loop', () => {
    expect(parseDiskStats(f('diskstats'))).toEqual([
      {
        device: 'cciss/c0d0',
        readSectors: 9550688,
        writeSectors: 5922052,
        readBytes: 9550688 * 512,
        writeBytes: 5922052 * 512,
      },
    ]);
  });

  it('splits "eth0:4023456789" where the counter touches the colon', () => {
    expect(parseNetDev(f('net/dev'))).toEqual([
      { iface: 'eth0', rxBytes: 4023456789, txBytes: 987654321 },
      { iface: 'sit0', rxBytes: 0, txBytes: 0 },
    ]);
  });

  it('keeps /dev/root and the cciss boot partition, drops rootfs and usbfs', () => {
    expect(parseMounts(f('mounts'))).toEqual([
      { device: '/dev/root', mountpoint: '/', fstype: 'ext3' },
      { device: '/dev/cciss/c0d0p1', mountpoint: '/boot', fstype: 'ext3' },
    ]);
    expect(parseUptime(f('uptime'))).toBe(350735.47);
  });
});

describe('parser edge cases', () => {
  it('reads 8 (2.6.11+, steal) and 4 (2.4) column cpu lines', () => {
    expect(parseCpuStat('cpu  10 1 5 100 2 3 4 7\ncpu0 10 1 5 100 2 3 4 7\n').total).toMatchObject({
      softirq: 4,
      steal: 7,
      guest: 0,
    });
    expect(parseCpuStat('cpu  10 1 5 100\n').total).toMatchObject({ idle: 100, iowait: 0, steal: 0 });
  });

  it('throws on input that is not the expected file', () => {
    expect(() => parseCpuStat('intr 1 2 3\n')).toThrow();
    expect(() => parseCpuStat('cpu  a b c d e\n')).toThrow();
    expect(() => parseLoadAvg('')).toThrow();
    expect(() => parseUptime('')).toThrow();
    expect(() => parseMemInfo('MemFree: 10 kB\n')).toThrow();
  });

  it('recognises partitions of every naming scheme', () => {
    const names = [
      'sda',
      'sda1',
      'sdaa',
      'sdaa3',
      'vda',
      'vdb2',
      'xvda',
      'xvda1',
      'hda',
      'hda5',
      'nvme0n1',
      'nvme0n1p1',
      'mmcblk0',
      'mmcblk0p2',
      'md127',
      'dm-3',
      'loop12',
      'ram0',
      'zram0',
      'fd0',
    ];
    const text = names.map((n, i) => `8 ${i} ${n} 1 0 8 0 1 0 8 0 0 0 0`).join('\n');
    expect(parseDiskStats(text).map((d) => d.device)).toEqual([
      'sda',
      'sdaa',
      'vda',
      'xvda',
      'hda',
      'nvme0n1',
      'mmcblk0',
      'md127',
      'dm-3',
    ]);
  });

  it('unescapes tab, newline and backslash in mountpoints', () => {
    expect(parseMounts('/dev/sdb1 /a\\011b\\012c\\134d ext4 rw 0 0\n')[0]?.mountpoint).toBe('/a\tb\nc\\d');
  });

  it('gives no CPU percentages across a reboot or when no tick passed; clamps a backwards iowait', () => {
    const t = parseCpuStat('cpu  100 0 100 1000 50 0 0 0\n').total;
    expect(cpuPercents(t, t)).toBeUndefined();
    expect(cpuPercents(t, parseCpuStat('cpu  10 0 10 100 5 0 0 0\n').total)).toBeUndefined();
    // iowait -10 (NO_HZ accounting quirk) must not make a negative share.
    const p = cpuPercents(t, parseCpuStat('cpu  150 0 150 1100 40 0 0 0\n').total);
    expect(p).toMatchObject({ iowait: 0, user: 25, system: 25, idle: 50, busy: 50 });
  });
});
