import { cleanup, fireEvent, render } from '@solidjs/testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setLocale } from '../i18n';
import {
  FIXED_RANGE_KEYS,
  RangePicker,
  rangeFor,
  resolutionText,
  SPANS,
  type TimeRange,
} from './RangePicker';

const DAY = 86_400_000;

afterEach(() => {
  cleanup();
  setLocale('en');
});

describe('rangeFor', () => {
  it('ends the fixed spans now, 90 days and a year included; only the hour is live', () => {
    const now = Date.parse('2026-06-01T00:00:00.000Z');
    expect(rangeFor('90d', now)).toEqual({
      key: '90d',
      from: new Date(now - 90 * DAY).toISOString(),
      to: '2026-06-01T00:00:00.000Z',
      live: false,
    });
    expect(rangeFor('1y', now).from).toBe(new Date(now - 365 * DAY).toISOString());
    expect(rangeFor('1y', now).live).toBe(false);
    expect(rangeFor('1h', now).live).toBe(true);
    expect(FIXED_RANGE_KEYS).toEqual(['1h', '24h', '7d', '30d', '90d', '1y']);
    const spans = FIXED_RANGE_KEYS.map((key) => SPANS[key]);
    expect([...spans].sort((a, b) => a - b)).toEqual(spans);
  });
});

describe('resolutionText', () => {
  it('names the step and the tier it was read from, in English and German', () => {
    expect(resolutionText('1h', 3600)).toBe('Resolution: averages over 1h 0m · from 1-hour rollups');
    expect(resolutionText('1m', 120)).toBe('Resolution: averages over 2m 0s · from 1-minute rollups');
    expect(resolutionText('raw', 30)).toBe('Resolution: averages over 30s · from raw samples');
    expect(resolutionText('raw', null)).toBe('Resolution: raw samples');
    setLocale('de');
    expect(resolutionText('1h', 3600)).toBe(
      'Auflösung: Mittelwerte über 1h 0m · aus 1-Stunden-Verdichtungen',
    );
    expect(resolutionText('raw', null)).toBe('Auflösung: Rohwerte');
  });
});

describe('RangePicker', () => {
  it('offers the long spans and hands the chosen one over', () => {
    const onChange = vi.fn<(range: TimeRange) => void>();
    const view = render(() => <RangePicker value={rangeFor('1h')} onChange={onChange} />);
    fireEvent.click(view.getByRole('button', { name: '90 d' }));
    fireEvent.click(view.getByRole('button', { name: '1 y' }));
    expect(onChange.mock.calls.map(([range]) => range.key)).toEqual(['90d', '1y']);
    const year = onChange.mock.calls[1]?.[0];
    expect(Date.parse(year?.to ?? '') - Date.parse(year?.from ?? '')).toBe(365 * DAY);
  });

  it('limits the spans to the ones a page asks for', () => {
    const view = render(() => (
      <RangePicker value={rangeFor('1h')} onChange={() => undefined} keys={['1h', '24h']} />
    ));
    expect(view.queryByRole('button', { name: '24 h' })).not.toBeNull();
    expect(view.queryByRole('button', { name: '1 y' })).toBeNull();
  });
});
