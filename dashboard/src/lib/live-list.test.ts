import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { alignSeries } from './align';
import { allPages, orGone, patchList } from './live-list';

describe('patchList', () => {
  const list = [
    { id: 'a', v: 1 },
    { id: 'b', v: 1 },
    { id: 'c', v: 1 },
  ];

  it('replaces changed items in place, drops gone ones, appends new ones', () => {
    expect(
      patchList(list, [
        ['b', { id: 'b', v: 2 }],
        ['c', undefined],
        ['d', { id: 'd', v: 1 }],
        ['x', undefined],
      ]),
    ).toEqual([
      { id: 'a', v: 1 },
      { id: 'b', v: 2 },
      { id: 'd', v: 1 },
    ]);
    // The original is untouched.
    expect(list).toHaveLength(3);
  });
});

describe('orGone', () => {
  it('turns a 404 into undefined and passes other errors on', async () => {
    await expect(orGone(Promise.reject(new ApiError(404, 'not_found', 'gone')))).resolves.toBeUndefined();
    await expect(orGone(Promise.reject(new ApiError(500, 'internal', 'boom')))).rejects.toThrow('boom');
    await expect(orGone(Promise.resolve(1))).resolves.toBe(1);
  });
});

describe('allPages', () => {
  it('reads page after page until the total', async () => {
    const all = Array.from({ length: 25 }, (_, i) => i);
    const calls: [number, number][] = [];
    const items = await allPages(async (limit, offset) => {
      calls.push([limit, offset]);
      return Promise.resolve({ items: all.slice(offset, offset + limit), total: all.length });
    }, 10);
    expect(items).toEqual(all);
    expect(calls).toEqual([
      [10, 0],
      [10, 10],
      [10, 20],
    ]);
  });

  it('stops at the cap', async () => {
    const items = await allPages(
      (limit) => Promise.resolve({ items: Array.from({ length: limit }, () => 0), total: 1e9 }),
      10,
      30,
    );
    expect(items).toHaveLength(30);
  });
});

describe('alignSeries', () => {
  it('joins series on one axis in seconds with nulls for missing points', () => {
    expect(
      alignSeries([
        [
          [2000, 1],
          [1000, 2],
        ],
        [[3000, 5]],
      ]),
    ).toEqual([
      [1, 2, 3],
      [2, 1, null],
      [null, null, 5],
    ]);
    expect(alignSeries([[]])).toEqual([[], []]);
  });
});
