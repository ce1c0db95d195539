// Turns monotonically increasing counters (bytes, sectors) into per-second rates.
//
// A counter that goes down is normally a reset (reboot, driver reload, interface re-created): the
// new value becomes the baseline and no rate is reported, instead of a huge negative spike.
// One exception: 32-bit counters (/proc/net/dev and diskstats on 32-bit kernels and some drivers)
// wrap at 2^32, which at 1 Gbit/s happens every ~35 s. A decrease from the top quarter of the
// 32-bit range to its bottom quarter is taken as such a wrap. A 64-bit wrap never happens in
// practice (and exceeds a double's integer precision), so above 2^32 a decrease is always a reset.

const WRAP_32 = 2 ** 32;

interface Last {
  value: number;
  timestampMs: number;
}

export class RateTracker {
  private last = new Map<string, Last>();
  private touched = new Set<string>();

  /** Per-second rate of `key` since its previous sample; undefined on the first sample or a reset. */
  rate(key: string, value: number, timestampMs: number): number | undefined {
    const prev = this.last.get(key);
    this.last.set(key, { value, timestampMs });
    this.touched.add(key);
    if (!prev) return undefined;
    const seconds = (timestampMs - prev.timestampMs) / 1000;
    if (seconds <= 0) return undefined;
    let delta = value - prev.value;
    if (delta < 0) {
      const wrapped = prev.value < WRAP_32 && prev.value >= WRAP_32 * 0.75 && value < WRAP_32 * 0.25;
      if (!wrapped) return undefined;
      delta += WRAP_32;
    }
    return delta / seconds;
  }

  /**
   * Forget keys not seen since the previous sweep (unplugged disks, deleted veth interfaces), so
   * memory stays bounded on hosts that churn containers. Call once per collection cycle.
   */
  sweep(): void {
    for (const key of this.last.keys()) if (!this.touched.has(key)) this.last.delete(key);
    this.touched.clear();
  }

  get size(): number {
    return this.last.size;
  }
}
