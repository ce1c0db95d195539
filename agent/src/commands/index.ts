// Container actions the server may request: the long-poll client, the executor and the poller.
export { fetchCommands, postCommandResult } from './client';
export { executeCommand, EXPIRED_MESSAGE, type ExecuteOptions } from './executor';
export { CommandPoller, type CommandPollerOptions, type CommandPollerStats } from './poller';
