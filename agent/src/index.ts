export { AgentFatalError, AGENT_VERSION, runAgent, type RunningAgent } from './agent';
export { HEALTH_FILE } from './health-file';
export { loadAgentSettings, type AgentSettings } from './config';
export { createAgentLogger, type LogLevel } from './log';
