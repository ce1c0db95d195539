// /proc/<pid>/mounts: "device mountpoint fstype options dump pass", with space, tab, newline and
// backslash in paths written as octal escapes (\040, \011, \012, \134).
import { statfs } from 'node:fs/promises';
import path from 'node:path';

export interface Mount {
  device: string;
  mountpoint: string;
  fstype: string;
}

// Kernel-virtual and memory-backed filesystems: no disk space to report. tmpfs is RAM (already in
// mem.*); overlay/aufs are container root layers whose space is the backing filesystem's, which is
// reported on its own; squashfs (snaps) and iso9660 are read-only images, always 100 % used.
const PSEUDO = new Set(
  [
    'autofs binfmt_misc bpf cgroup cgroup2 configfs debugfs devfs devpts devtmpfs efivarfs fusectl',
    'hugetlbfs mqueue nsfs overlay aufs proc pstore ramfs rootfs rpc_pipefs securityfs selinuxfs',
    'squashfs iso9660 sysfs tmpfs tracefs usbfs nfsd fuse.lxcfs fuse.gvfsd-fuse fuse.portal',
  ]
    .join(' ')
    .split(' '),
);

const unescape = (s: string): string =>
  s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));

/**
 * Real filesystems, one per device: bind mounts and btrfs subvolumes repeat a device at several
 * mountpoints with the same space, so keep the shortest mountpoint (usually the original one).
 */
export function parseMounts(text: string): Mount[] {
  const byDevice = new Map<string, Mount>();
  for (const line of text.split('\n')) {
    const [device, rawMountpoint, fstype] = line.trim().split(/\s+/);
    if (device === undefined || rawMountpoint === undefined || fstype === undefined) continue;
    if (PSEUDO.has(fstype)) continue;
    const mount = { device: unescape(device), mountpoint: unescape(rawMountpoint), fstype };
    const seen = byDevice.get(mount.device);
    if (!seen || mount.mountpoint.length < seen.mountpoint.length) byDevice.set(mount.device, mount);
  }
  return [...byDevice.values()];
}

export interface FsUsage {
  mount: string;
  totalBytes: number;
  usedBytes: number;
}

/**
 * statfs each mount under hostRoot (the host's / as the agent sees it, e.g. /host in a container).
 * A mount that cannot be read (gone, stale NFS, permission) is left out; the others still count.
 */
// A hung network mount (NFS server gone) blocks statfs indefinitely; don't let it stall collect().
const STATFS_TIMEOUT_MS = 5000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`timed out after ${ms} ms`));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => {
    clearTimeout(timer);
  });
}

export async function statFilesystems(hostRoot: string, mounts: readonly Mount[]): Promise<FsUsage[]> {
  const results = await Promise.all(
    mounts.map(async ({ mountpoint }): Promise<FsUsage | undefined> => {
      try {
        const s = await withTimeout(statfs(path.join(hostRoot, mountpoint)), STATFS_TIMEOUT_MS);
        // Same as df: size = blocks, used = blocks - bfree (root-reserved blocks are not "used").
        if (s.blocks === 0) return undefined;
        return {
          mount: mountpoint,
          totalBytes: s.blocks * s.bsize,
          usedBytes: (s.blocks - s.bfree) * s.bsize,
        };
      } catch {
        return undefined;
      }
    }),
  );
  return results.filter((r): r is FsUsage => r !== undefined);
}
