import { describe, expect, it } from 'vitest';
import { setLocale } from '../i18n';
import { formatBytes, formatDuration, formatMs, formatPercent, formatRelative } from './format';

describe('format', () => {
  it('formats bytes with binary units in the current language', () => {
    setLocale('en');
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5 GB');
    expect(formatBytes(null)).toBe('–');
    setLocale('de');
    expect(formatBytes(1536)).toBe('1,5 KB');
    setLocale('en');
  });

  it('formats percent, milliseconds and durations', () => {
    expect(formatPercent(12.345)).toBe('12.3 %');
    expect(formatMs(4.2)).toBe('4.2 ms');
    expect(formatMs(1500)).toBe('1.5 s');
    expect(formatDuration(90_061)).toBe('1d 1h');
    expect(formatDuration(59)).toBe('59s');
  });

  it('says how long ago something happened', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(formatRelative('2026-01-01T11:57:00Z', now)).toBe('3 min. ago');
    expect(formatRelative(undefined, now)).toBe('–');
  });
});
