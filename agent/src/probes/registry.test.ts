import { PROBE_CONFIG_SCHEMAS, PROBE_TYPES, TcpProbeConfigSchema } from '@emma/protocol';
import { describe, expect, it } from 'vitest';
import { createProbeRegistry, DuplicateProbeTypeError, PROBE_MODULES, probeRegistry } from './registry';
import { tcpProbe } from './tcp';
import { defineProbe } from './types';

describe('probe registry', () => {
  it('lists every protocol probe type exactly once, each with the protocol schema', () => {
    const types = PROBE_MODULES.map((m) => m.type);
    expect([...types].sort()).toEqual([...PROBE_TYPES].sort());
    expect(new Set(types).size).toBe(types.length);
    for (const module of PROBE_MODULES) expect(module.schema).toBe(PROBE_CONFIG_SCHEMAS[module.type]);
    expect(probeRegistry.types().sort()).toEqual([...PROBE_TYPES].sort());
  });

  it('refuses a duplicate type name at load', () => {
    const impostor = defineProbe({
      type: 'tcp',
      schema: TcpProbeConfigSchema,
      run: () => Promise.resolve({ status: 'up', latencyMs: 0, message: 'impostor' }),
    });
    expect(() => createProbeRegistry([tcpProbe, impostor])).toThrow(DuplicateProbeTypeError);
    expect(() => createProbeRegistry([tcpProbe, impostor])).toThrow(
      'probe type "tcp" is registered more than once',
    );
    expect(() => createProbeRegistry([tcpProbe])).not.toThrow();
  });

  it('validates configs with the type schema, applying its defaults', () => {
    const icmp = probeRegistry.get('icmp');
    expect(icmp?.prepare({ host: '127.0.0.1' }).ok).toBe(true);
    const bad = icmp?.prepare({ host: '127.0.0.1', count: 99, extra: true });
    expect(bad?.ok).toBe(false);
    if (bad && !bad.ok) expect(bad.error).toMatch(/count/);
    expect(probeRegistry.get('smtp')).toBeUndefined();
  });
});
