// The generated source of dashboard/src/api/schema.gen.ts (see scripts/gen-api-types.ts).
import openapiTS, { astToString } from 'openapi-typescript';
import { format, resolveConfig } from 'prettier';
import { openApiDocument } from '../../backend/src/http/openapi-document';

const HEADER = "// Generated from the server's OpenAPI document by `npm run gen:api`; do not edit.\n";

export async function apiTypesSource(): Promise<string> {
  const ast = await openapiTS(openApiDocument() as Parameters<typeof openapiTS>[0]);
  const source = HEADER + astToString(ast);
  const options = (await resolveConfig('dashboard/src/api/schema.gen.ts')) ?? {};
  return format(source, { ...options, parser: 'typescript' });
}
