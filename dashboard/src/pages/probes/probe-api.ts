// Reads the probe screens share: the agents (names for ids, choices for placement) and the probe types'
// schemas from the server's OpenAPI document (read once per page load; it changes only with the server).
import { api, unwrap } from '../../api/client';
import { openApiDocument } from '../../components/schema-form/openapi';
import type { components } from '../../api/schema.gen';
import { allPages } from '../../lib/live-list';
import { probeTypesFromDocument, type ProbeTypeSchema } from './schema-form';

export type Agent = components['schemas']['Agent'];

export function loadAgents(): Promise<Agent[]> {
  return allPages((limit, offset) =>
    unwrap(api.GET('/api/v1/agents', { params: { query: { limit, offset } } })),
  );
}

export async function loadProbeTypes(): Promise<ProbeTypeSchema[]> {
  const found = probeTypesFromDocument(await openApiDocument());
  if (found.length === 0) throw new Error('The server describes no probe types');
  return found;
}
