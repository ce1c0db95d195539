// The dashboard's client is typed from the OpenAPI document: its generated types must match the routes the
// server has now, or the dashboard could compile against an API that no longer exists.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiTypesSource } from '../../../dashboard/scripts/api-types';
import { ROOT } from '../../../test-support/engine';
import { openApiDocument } from './openapi-document';

describe('the OpenAPI document without a server', () => {
  it('lists the routes the server serves', () => {
    const doc = openApiDocument() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/overview', '/api/v1/probes', '/api/v1/auth/ws-ticket']),
    );
  });

  it('matches dashboard/src/api/schema.gen.ts (run `npm run gen:api` after changing a route)', async () => {
    const committed = await readFile(path.join(ROOT, 'dashboard/src/api/schema.gen.ts'), 'utf8');
    expect(committed === (await apiTypesSource()), 'schema.gen.ts is stale: run `npm run gen:api`').toBe(
      true,
    );
  });
});
