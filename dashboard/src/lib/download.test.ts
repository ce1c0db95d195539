import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRoot } from 'solid-js';
import { ApiError } from '../api/client';
import { createCsvDownload, csvFileName, downloadCsv } from './download';

let clicked: { href: string; download: string; attached: boolean }[];
let created: Blob[];
let revoked: string[];

beforeEach(() => {
  clicked = [];
  created = [];
  revoked = [];
  vi.useFakeTimers();
  URL.createObjectURL = (blob: Blob) => {
    created.push(blob);
    return `blob:test/${created.length}`;
  };
  URL.revokeObjectURL = (url: string) => {
    revoked.push(url);
  };
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    clicked.push({ href: this.href, download: this.download, attached: document.body.contains(this) });
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('downloadCsv', () => {
  it('fetches the path as CSV and saves it through a temporary link, then lets the URL go', async () => {
    const fetcher = vi.fn(() => Promise.resolve(new Blob(['time,value\n1,2\n'], { type: 'text/csv' })));
    await downloadCsv('/api/v1/series/query', { agent: 'a1', metric: 'cpu.percent' }, 'web-1.csv', fetcher);
    expect(fetcher).toHaveBeenCalledWith('/api/v1/series/query', { agent: 'a1', metric: 'cpu.percent' });
    expect(clicked).toEqual([{ href: 'blob:test/1', download: 'web-1.csv', attached: true }]);
    expect(await created[0]?.text()).toBe('time,value\n1,2\n');
    expect(document.querySelectorAll('a[download]')).toHaveLength(0);
    expect(revoked).toEqual([]);
    vi.runAllTimers();
    expect(revoked).toEqual(['blob:test/1']);
  });

  it('saves nothing when the server refuses', async () => {
    const refused = new ApiError(403, 'forbidden', 'no');
    await expect(downloadCsv('/x', {}, 'x.csv', () => Promise.reject(refused))).rejects.toBe(refused);
    expect(clicked).toEqual([]);
    expect(created).toEqual([]);
  });
});

describe('createCsvDownload', () => {
  it('is busy while fetching and keeps the error of a failed try until the next one works', async () => {
    let fail = true;
    let release: () => void = () => undefined;
    const fetcher = vi.fn(
      () =>
        new Promise<Blob>((resolve, reject) => {
          release = () => (fail ? reject(new Error('offline')) : resolve(new Blob(['a'])));
        }),
    );
    await createRoot(async (dispose) => {
      const csv = createCsvDownload(() => ({ path: '/p', query: { from: 'f' }, fileName: 'p.csv' }), fetcher);
      const first = csv.start();
      expect(csv.busy()).toBe(true);
      void csv.start(); // a second click while busy does not fetch again
      expect(fetcher).toHaveBeenCalledTimes(1);
      release();
      await first;
      expect(csv.busy()).toBe(false);
      expect((csv.error() as Error).message).toBe('offline');
      fail = false;
      const second = csv.start();
      release();
      await second;
      expect(csv.error()).toBeUndefined();
      expect(clicked.map((c) => c.download)).toEqual(['p.csv']);
      dispose();
    });
  });
});

describe('csvFileName', () => {
  it('names the file after what and when, without characters file systems refuse', () => {
    expect(csvFileName('web-1', '2026-01-01T00:00:00.000Z', '2026-01-02T12:30:00.000Z')).toBe(
      'web-1_2026-01-01T00-00-00Z_2026-01-02T12-30-00Z.csv',
    );
    expect(csvFileName('probe: a/b', '2026-01-01T00:00:00Z', '2026-01-01T01:00:00Z')).toBe(
      'probe_a_b_2026-01-01T00-00-00Z_2026-01-01T01-00-00Z.csv',
    );
    expect(csvFileName('///', 'a', 'b')).toBe('export_a_b.csv');
  });
});
