// The server's OpenAPI document, read once per page load (it changes only with the server): the probe,
// channel and rule forms are built from it.
import { api, unwrap } from '../../api/client';

let loading: Promise<unknown> | undefined;

export function openApiDocument(): Promise<unknown> {
  loading ??= unwrap(api.GET('/api/v1/openapi.json')).catch((err: unknown) => {
    // A failed read may work on retry.
    loading = undefined;
    throw err;
  });
  return loading;
}
