import { describe, expect, it } from 'vitest';
import { formatLabels, hostFact, parseLabels, tokenRequest, tokenTone, type Agent } from './model';

const values = {
  name: ' berlin rollout ',
  expiresInS: 3600,
  maxUses: '20',
  labels: '',
  requiresApproval: true,
};

describe('enrolment token form', () => {
  it('reads labels separated by commas or lines, trimming blanks', () => {
    expect(parseLabels(' site=berlin, env = prod \n\n rack=a=b ,')).toEqual({
      labels: { site: 'berlin', env: 'prod', rack: 'a=b' },
      invalid: [],
    });
    expect(parseLabels('site, =x, ok=1, Site=b, 9x=1')).toEqual({
      labels: { ok: '1' },
      invalid: ['site', '=x', 'Site=b', '9x=1'],
    });
    expect(parseLabels('')).toEqual({ labels: {}, invalid: [] });
  });

  it('shows labels as key=value', () => {
    expect(formatLabels({ site: 'berlin', env: 'prod' })).toEqual(['site=berlin', 'env=prod']);
  });

  it('builds the request body the API expects', () => {
    expect(tokenRequest({ ...values, labels: 'site=berlin' })).toEqual({
      ok: true,
      body: {
        name: 'berlin rollout',
        expiresInS: 3600,
        maxUses: 20,
        labels: { site: 'berlin' },
        requiresApproval: true,
      },
    });
    // An empty count means one host, the API's own default.
    const single = tokenRequest({ ...values, maxUses: ' ' });
    expect(single.ok && single.body.maxUses).toBe(1);
  });

  it('refuses what cannot be sent, at the fields concerned', () => {
    const result = tokenRequest({ ...values, maxUses: '2.5', labels: 'site' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.fields).sort()).toEqual(['labels', 'maxUses']);
    expect(result.fields.labels).toContain('site');
  });

  it('colours token states', () => {
    expect(tokenTone('active')).toBe('ok');
    expect(tokenTone('revoked')).toBe('bad');
    expect(tokenTone('expired')).toBe('muted');
    expect(tokenTone('used_up')).toBe('muted');
  });

  it('reads host facts as text and ignores other shapes', () => {
    const agent = { host: { agentVersion: '0.1.0', cpus: 4, nested: { a: 1 } } } as unknown as Agent;
    expect(hostFact(agent, 'agentVersion')).toBe('0.1.0');
    expect(hostFact(agent, 'cpus')).toBe('4');
    expect(hostFact(agent, 'nested')).toBeUndefined();
    expect(hostFact(agent, 'missing')).toBeUndefined();
  });
});
