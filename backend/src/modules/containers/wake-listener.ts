// A container action queued through any API process reaches the agent's waiting poll at once, whichever
// API process holds it: each process LISTENs for queued actions and wakes its own waiters. The waiters'
// periodic check (EMMA_COMMAND_CHECK_MS) remains the backstop while the LISTEN connection is down.
import type { Logger } from '../../logger';
import { startListenBridge, type ListenBridge } from '../../realtime/bridge';
import { CHANGES_CHANNEL } from '../ingest/repo';
import type { CommandWaiters } from './waiters';

export function queuedAgent(payload: string): string | undefined {
  if (!payload.includes('"container_action"')) return undefined;
  try {
    const notice = JSON.parse(payload) as { t?: unknown; a?: unknown; status?: unknown };
    return notice.t === 'container_action' && notice.status === 'queued' && typeof notice.a === 'string'
      ? notice.a
      : undefined;
  } catch {
    return undefined;
  }
}

export function listenForQueuedCommands(
  databaseUrl: string,
  logger: Logger,
  waiters: CommandWaiters,
): Promise<ListenBridge> {
  return startListenBridge({
    databaseUrl,
    channel: CHANGES_CHANNEL,
    logger,
    applicationName: 'emma-api-listen',
    onNotice: (payload) => {
      const agentId = queuedAgent(payload);
      if (agentId !== undefined) waiters.wake(agentId);
    },
    onRestored: () => undefined,
  });
}
