// Runs one container action the server asked for (start, stop, restart) on the local engine and says
// how it went, in the shape the server takes back (CommandResult).
import type { AgentCommand, CommandResult } from '@emma/protocol';
import { engineErrorMessage, engineStatus, type Engine } from '../collectors/containers/engine';

export const EXPIRED_MESSAGE = 'expired before the agent could run it';

export interface ExecuteOptions {
  now?: () => number;
  signal?: AbortSignal;
}

const DONE: Record<AgentCommand['action'], string> = {
  start: 'started',
  stop: 'stopped',
  restart: 'restarted',
};

/** Docker answers 304 when there is nothing to do; for the operator that is success. */
const ALREADY: Partial<Record<AgentCommand['action'], string>> = {
  start: 'the container was already running',
  stop: 'the container was already stopped',
};

function clip(text: string): string {
  return text.length <= 2000 ? text : `${text.slice(0, 1997)}...`;
}

/** Never throws: every outcome, an engine failure included, comes back as a result. */
export async function executeCommand(
  engine: Engine,
  command: AgentCommand,
  options: ExecuteOptions = {},
): Promise<CommandResult> {
  const now = options.now ?? Date.now;
  if (command.expiresAt < now()) {
    return { status: 'failed', message: EXPIRED_MESSAGE, finishedAt: now() };
  }
  try {
    switch (command.action) {
      case 'start':
        await engine.start(command.containerId, options.signal);
        break;
      case 'stop':
        await engine.stop(command.containerId, command.stopTimeoutS, options.signal);
        break;
      case 'restart':
        await engine.restart(command.containerId, command.stopTimeoutS, options.signal);
        break;
    }
    return { status: 'succeeded', message: DONE[command.action], finishedAt: now() };
  } catch (err) {
    const status = engineStatus(err);
    const already = ALREADY[command.action];
    if (status === 304 && already !== undefined) {
      return { status: 'succeeded', message: already, finishedAt: now() };
    }
    const message =
      status === 404 ? 'no such container on this host' : `the engine refused: ${engineErrorMessage(err)}`;
    return { status: 'failed', message: clip(message), finishedAt: now() };
  }
}
