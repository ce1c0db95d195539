import { pino, type Logger } from 'pino';

/** Paths pino blanks out wherever they appear in a log record: secrets never reach the logs. */
export const REDACTED_PATHS = [
  'password',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  'token',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  '*.secret',
  '*.passwordHash',
  '*.password_hash',
  '*.*.password',
  '*.*.token',
  '*.*.secret',
  '*.credential',
  '*.*.credential',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'emma' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

export type { Logger };
