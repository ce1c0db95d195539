// Writes dashboard/src/api/schema.gen.ts: TypeScript types for every REST route, generated from the
// server's OpenAPI document, so the dashboard's client is typed from the same zod schemas the server
// validates with. Run after changing a route: `npm run gen:api`. A test fails when the file is stale.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiTypesSource } from '../dashboard/scripts/api-types';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(ROOT, 'dashboard/src/api/schema.gen.ts');
await writeFile(target, await apiTypesSource());
console.log(`wrote ${path.relative(ROOT, target)}`);
