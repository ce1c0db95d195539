// The agent's two command endpoints, in the style of pipeline/http.ts: every outcome (network failures and
// timeouts included) comes back as an HttpResult value; nothing is thrown.
//   GET  /api/v1/agents/self/commands?waitS=N    long poll → { commands: AgentCommand[] }
//   POST /api/v1/agents/self/commands/:id/result  CommandResult → 2xx; 404/409: the server no longer wants it
import { AgentCommandsSchema, type AgentCommands, type CommandResult } from '@emma/protocol';
import { endpoint, failureFrom, parseJson, request, type HttpResult } from '../pipeline/http';

/** Long poll: the server answers when it has commands or after about waitS seconds with none. */
export function fetchCommands(
  serverUrl: string,
  credential: string,
  waitS: number,
  signal: AbortSignal,
): Promise<HttpResult<AgentCommands>> {
  return request(
    endpoint(serverUrl, `/api/v1/agents/self/commands?waitS=${waitS}`),
    { method: 'GET', headers: { Authorization: `Bearer ${credential}`, Accept: 'application/json' } },
    // The server holds the request for up to waitS: allow that plus a margin for a slow network.
    { signal, timeoutMs: (waitS + 15) * 1000 },
    (response) => parseJson(response, AgentCommandsSchema),
  );
}

/** Reports how a command went. */
export function postCommandResult(
  serverUrl: string,
  credential: string,
  commandId: string,
  result: CommandResult,
  signal: AbortSignal,
): Promise<HttpResult<null>> {
  return request(
    endpoint(serverUrl, `/api/v1/agents/self/commands/${encodeURIComponent(commandId)}/result`),
    {
      method: 'POST',
      headers: { Authorization: `Bearer ${credential}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(result),
    },
    { signal, timeoutMs: 30_000 },
    async (response): Promise<HttpResult<null>> => {
      if (!response.ok) return failureFrom(response);
      await response.text().catch(() => '');
      return { ok: true, status: response.status, value: null };
    },
  );
}
