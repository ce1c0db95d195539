// Turns a V8 CPU profile (node:inspector Profiler.stop) into self time by category and the functions with
// the most self time. Idle time is left out.
import type { Profiler } from 'node:inspector';
import type { ProfileSummary } from './messages';

function category(fn: string, url: string): string {
  if (fn === '(garbage collector)') return 'GC';
  if (fn === '(program)') return 'V8/native (program)';
  if (url.includes('/agent/src/probes/scheduler')) return 'agent: scheduler.ts';
  if (url.includes('/agent/src/probes/runner')) return 'agent: runner.ts';
  if (url.includes('/agent/src/probes/http')) return 'agent: http.ts';
  if (url.includes('/agent/src/')) return 'agent: other';
  if (url.includes('/zod/')) return 'zod';
  if (url.includes('/scripts/bench-probes')) return 'bench harness';
  if (url.includes('/tsx/') || url.includes('/esbuild/')) return 'tsx';
  if (/^node:(_http|http|internal\/http)/.test(url)) return 'node:http';
  if (/^node:(net|internal\/(net|stream_base_commons|tcp|dns))|^node:dns/.test(url)) return 'node:net';
  if (/^node:(stream|internal\/streams)/.test(url)) return 'node:streams';
  if (/^node:(events|internal\/(event_target|abort_controller))/.test(url)) return 'node:events/abort';
  if (/^node:(url|internal\/url)/.test(url)) return 'node:url';
  if (/^node:(timers|internal\/timers)/.test(url)) return 'node:timers';
  if (/^node:internal\/(process\/task_queues|async_hooks)/.test(url)) return 'node:microtasks';
  if (url.startsWith('node:')) return 'node: other';
  if (url === '') return 'builtins (no url)';
  return 'other';
}

function shortUrl(url: string): string {
  const i = url.indexOf('/work/main/');
  if (i >= 0) return url.slice(i + '/work/main/'.length);
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) return url.slice(nm + '/node_modules/'.length);
  return url;
}

export function summariseProfile(profile: Profiler.Profile): ProfileSummary {
  const byId = new Map<number, Profiler.ProfileNode>();
  for (const node of profile.nodes) byId.set(node.id, node);
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i];
    // timeDeltas[i] is the time before sample i; the time after it (the next delta) is what it stands for.
    const dt = deltas[i + 1] ?? 0;
    if (id !== undefined) selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  }
  const categories = new Map<string, number>();
  const functions = new Map<string, { fn: string; where: string; ms: number }>();
  let totalMs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') continue;
    const ms = us / 1000;
    totalMs += ms;
    const cat = category(functionName, url);
    categories.set(cat, (categories.get(cat) ?? 0) + ms);
    const fn = functionName || '(anonymous)';
    const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : '';
    const key = `${fn} ${where}`;
    const entry = functions.get(key) ?? { fn, where, ms: 0 };
    entry.ms += ms;
    functions.set(key, entry);
  }
  return {
    categories: [...categories.entries()].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms),
    top: [...functions.values()].sort((a, b) => b.ms - a.ms).slice(0, 15),
    totalMs,
  };
}
