export { AgentFatalError, AGENT_VERSION, HEALTH_FILE, runAgent, type RunningAgent } from './agent';
export { loadAgentSettings, type AgentSettings } from './config';
export { createAgentLogger, type LogLevel } from './log';
