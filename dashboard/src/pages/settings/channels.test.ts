import { describe, expect, it } from 'vitest';
import { setLocale } from '../../i18n';
import { configSummary, testOutcome } from './Channels';

type Delivery = Parameters<typeof testOutcome>[0];

function delivery(overrides: Partial<Delivery>): Delivery {
  return {
    id: 'd',
    channelId: 'c',
    channelName: 'hook',
    incidentId: null,
    event: 'test',
    severity: 'info',
    title: 'Test',
    status: 'succeeded',
    attempts: 1,
    nextAttemptAt: null,
    lastError: null,
    lastStatusCode: 204,
    sentAt: null,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    message: {},
    attemptLog: [
      {
        attempt: 1,
        startedAt: '2026-01-01T00:00:00Z',
        durationMs: 42,
        ok: true,
        statusCode: 204,
        error: null,
      },
    ],
    ...overrides,
  };
}

describe('channel list helpers', () => {
  it('summarises the visible settings, never secrets (the API does not send them)', () => {
    expect(
      configSummary({
        config: { url: 'https://h.example/x', method: 'PUT', to: ['a@x', 'b@x'] },
        secretsSet: ['secret'],
      }),
    ).toBe('url: https://h.example/x · method: PUT · to: a@x, b@x');
  });

  it('tells a delivered test from a failed one', () => {
    setLocale('en');
    expect(testOutcome(delivery({}))).toEqual({ ok: true, text: 'Delivered (HTTP 204, 42 ms)' });
    expect(
      testOutcome(delivery({ status: 'failed', lastStatusCode: 500, lastError: 'HTTP 500: boom' })),
    ).toEqual({ ok: false, text: 'Failed: HTTP 500: boom' });
  });
});
