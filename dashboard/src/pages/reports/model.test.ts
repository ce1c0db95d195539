import { describe, expect, it } from 'vitest';
import { availabilityTone, csvFileName, fromLocalInput, presetRange } from './model';

describe('report range presets', () => {
  const now = new Date(2025, 2, 15, 10, 30); // 15 March 2025, 10:30 local time

  it('counts back fixed spans from now', () => {
    expect(presetRange('24h', now)).toEqual({
      from: new Date(now.getTime() - 86_400_000).toISOString(),
      to: now.toISOString(),
    });
    expect(Date.parse(presetRange('90d', now).to) - Date.parse(presetRange('90d', now).from)).toBe(
      90 * 86_400_000,
    );
  });

  it('takes calendar months from their first local midnight', () => {
    expect(presetRange('thisMonth', now)).toEqual({
      from: new Date(2025, 2, 1).toISOString(),
      to: now.toISOString(),
    });
    expect(presetRange('lastMonth', now)).toEqual({
      from: new Date(2025, 1, 1).toISOString(),
      to: new Date(2025, 2, 1).toISOString(),
    });
    // January's last month is the December before.
    expect(presetRange('lastMonth', new Date(2025, 0, 10)).from).toBe(new Date(2024, 11, 1).toISOString());
  });
});

describe('report helpers', () => {
  it('colours availability against the threshold', () => {
    expect(availabilityTone(99.95, 99.9)).toBe('ok');
    expect(availabilityTone(99.9, 99.9)).toBe('ok');
    expect(availabilityTone(99.89, 99.9)).toBe('bad');
    expect(availabilityTone(null, 99.9)).toBe('muted');
  });

  it('reads datetime-local values and names the CSV file', () => {
    expect(fromLocalInput('')).toBeUndefined();
    expect(fromLocalInput('nonsense')).toBeUndefined();
    expect(fromLocalInput('2025-03-01T10:00')).toBe(new Date(2025, 2, 1, 10, 0).toISOString());
    expect(csvFileName('agent', { from: '2025-03-01T00:00:00.000Z', to: '2025-03-31T00:00:00.000Z' })).toBe(
      'emma-uptime-agent-2025-03-01-2025-03-31.csv',
    );
  });
});
