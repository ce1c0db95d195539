// The logging surface the pipeline needs; pino's `logger.warn(obj, msg)` fits it.
export interface PipelineLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

const noop = (): void => undefined;
export const silentLogger: PipelineLogger = { debug: noop, info: noop, warn: noop, error: noop };
