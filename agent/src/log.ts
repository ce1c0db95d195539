// A small JSON-lines logger (the pipeline's PipelineLogger shape) so the agent needs no logging library.
import type { PipelineLogger } from './pipeline/logger';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type LogLevel = keyof typeof LEVELS;

export function createAgentLogger(
  level: LogLevel,
  write: (line: string) => void = (line) => process.stdout.write(line),
  base: Record<string, unknown> = { service: 'emma-agent' },
): PipelineLogger {
  const at =
    (name: Exclude<LogLevel, 'silent'>) =>
    (obj: object, msg: string): void => {
      if (LEVELS[name] < LEVELS[level]) return;
      write(`${JSON.stringify({ level: name, time: new Date().toISOString(), ...base, ...obj, msg })}\n`);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
