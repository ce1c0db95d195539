// Names of agents, probes and containers that rules and maintenance windows refer to by id, read once each,
// and searches for the pickers that choose them.
import { createStore } from 'solid-js/store';
import { api, unwrap } from '../../api/client';

export type EntityKind = 'agent' | 'probe' | 'container';

export interface EntityOption {
  id: string;
  name: string;
  /** The host, for containers. */
  detail?: string;
}

async function fetchName(kind: EntityKind, id: string): Promise<string> {
  const params = { params: { path: { id } } };
  switch (kind) {
    case 'agent':
      return (await unwrap(api.GET('/api/v1/agents/{id}', params))).name;
    case 'probe':
      return (await unwrap(api.GET('/api/v1/probes/{id}', params))).name;
    case 'container':
      return (await unwrap(api.GET('/api/v1/containers/{id}', params))).name;
  }
}

/** Up to 50 entities whose name contains the text. */
export async function searchEntities(kind: EntityKind, text: string): Promise<EntityOption[]> {
  const q = text.trim() || undefined;
  switch (kind) {
    case 'agent': {
      const page = await unwrap(api.GET('/api/v1/agents', { params: { query: { q, limit: 50 } } }));
      return page.items.map((a) => ({ id: a.id, name: a.name }));
    }
    case 'probe': {
      const page = await unwrap(api.GET('/api/v1/probes', { params: { query: { q, limit: 50 } } }));
      return page.items.map((p) => ({ id: p.id, name: p.name }));
    }
    case 'container': {
      const page = await unwrap(api.GET('/api/v1/containers', { params: { query: { name: q, limit: 50 } } }));
      return page.items.map((c) => ({ id: c.id, name: c.name, detail: c.agent.name }));
    }
  }
}

/** A name cache: `nameOf` answers undefined until the name arrives (null when it cannot be read). */
export function createNameLookup() {
  const [names, setNames] = createStore<Record<string, string | null>>({});
  const requested = new Set<string>();
  return {
    nameOf(kind: EntityKind, id: string): string | null | undefined {
      const key = `${kind}:${id}`;
      if (!requested.has(key)) {
        requested.add(key);
        fetchName(kind, id).then(
          (name) => setNames(key, name),
          () => setNames(key, null),
        );
      }
      return names[key];
    },
  };
}
