import { describe, expect, it } from 'vitest';
import { setLocale } from '../../i18n';
import { groupFields, kindHint, kindLabel, rulePatch, targetSummary } from './rule-model';
import { fieldsOf, type JsonSchema } from './schema-form';

const probeDown: JsonSchema = {
  properties: {
    kind: { const: 'probe_down' },
    name: { type: 'string' },
    severity: { type: 'string', enum: ['critical', 'warning', 'info'], default: 'warning' },
    forS: { type: 'integer', default: 0 },
    channelIds: { type: 'array', items: { type: 'string', format: 'uuid' }, default: [] },
    repeatIntervalS: { type: 'integer', default: 3600 },
    notifyOnResolve: { type: 'boolean', default: true },
    enabled: { type: 'boolean', default: true },
    probeId: { type: 'string', format: 'uuid' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
  },
  required: ['kind', 'name'],
};
const names = (kind: 'agent' | 'probe', id: string) =>
  id === 'p1' ? 'shop' : kind === 'agent' ? 'db-1' : undefined;

describe('alert rules', () => {
  it('groups the fields into rule, condition and notifications', () => {
    const groups = groupFields(fieldsOf(probeDown, ['kind']));
    expect(groups.general.map((f) => f.name)).toEqual(['name', 'severity', 'enabled']);
    expect(groups.condition.map((f) => f.name)).toEqual(['probeId', 'labels', 'forS']);
    expect(groups.notify.map((f) => f.name)).toEqual(['channelIds', 'repeatIntervalS', 'notifyOnResolve']);
  });

  it('says what a rule watches', () => {
    setLocale('en');
    expect(targetSummary({ kind: 'probe_down', probeId: 'p1' }, names)).toBe('probe shop');
    expect(targetSummary({ kind: 'agent_offline', labels: { env: 'prod', dc: 'a' } }, names)).toBe(
      'agents with env=prod, dc=a',
    );
    expect(
      targetSummary(
        {
          kind: 'metric_threshold',
          metric: 'fs.used.bytes',
          op: '>',
          value: 90,
          seriesLabels: { mount: '/' },
          agentId: 'a1',
        },
        names,
      ),
    ).toBe('fs.used.bytes{mount=/} > 90 · agent db-1');
    expect(
      targetSummary({ kind: 'container_restarting', containerName: 'web', restarts: 3, windowS: 600 }, names),
    ).toBe('all · containers named web · 3 restarts in 10 min');
    expect(targetSummary({ kind: 'tls_expiry', probeId: 'p2', days: 14 }, names)).toBe(
      'probe … · under 14 days left',
    );
  });

  it('names kinds in both languages and keeps unknown ones', () => {
    setLocale('de');
    expect(kindLabel('agent_offline')).toBe('Agent offline');
    expect(kindLabel('probe_down')).toBe('Prüfung ausgefallen');
    setLocale('en');
    expect(kindLabel('disk_smart')).toBe('disk_smart');
    expect(kindHint('disk_smart')).toBeUndefined();
    expect(kindHint('probe_down')).toContain('down');
  });

  it('patches with null for every field the form leaves empty', () => {
    const fields = fieldsOf(probeDown, ['kind']);
    expect(rulePatch('probe_down', fields, { name: 'x', labels: { env: 'prod' }, enabled: true })).toEqual({
      kind: 'probe_down',
      name: 'x',
      severity: null,
      forS: null,
      channelIds: null,
      repeatIntervalS: null,
      notifyOnResolve: null,
      enabled: true,
      probeId: null,
      labels: { env: 'prod' },
    });
  });
});
