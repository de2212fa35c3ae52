import { LoggerService } from '@nestjs/common';
import pino, { Logger as Pino, LoggerOptions } from 'pino';

/**
 * Field paths pino blanks out wherever they appear. A backstop: code must not log secrets,
 * headers or prompt bodies in the first place.
 */
export const REDACTED_PATHS = [
  'authorization',
  'apiKey',
  'api_key',
  'key',
  'token',
  'secret',
  'password',
  'headers',
  'body',
  'messages',
  'prompt',
  '*.authorization',
  '*.apiKey',
  '*.api_key',
  '*.key',
  '*.token',
  '*.secret',
  '*.password',
  '*.headers',
  '*.body',
  '*.messages',
  '*.prompt',
];

export function createRootLogger(level: string, destination?: pino.DestinationStream): Pino {
  const options: LoggerOptions = {
    level,
    base: { pid: process.pid },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}

type Fields = Record<string, unknown>;

/**
 * Nest's LoggerService on top of pino: Nest's own messages and ours come out as the same JSON
 * lines. Accepts `log.warn({ requestId, status }, 'failing over')` (fields first, as pino does)
 * and Nest's `log.log('message', 'Context')`.
 */
export class PinoLoggerService implements LoggerService {
  constructor(private readonly root: Pino) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(
    level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal',
    message: unknown,
    rest: unknown[],
  ): void {
    if (!this.root.isLevelEnabled(level)) return;
    // Nest appends the context (a class name) as the last string argument.
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const fields: Fields = context ? { context } : {};
    if (message instanceof Error) {
      this.root[level]({ ...fields, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      const text = typeof rest[0] === 'string' ? rest[0] : undefined;
      this.root[level]({ ...fields, ...(message as Fields) }, text);
    } else {
      const stack = typeof rest[0] === 'string' && level === 'error' ? { stack: rest[0] } : {};
      this.root[level]({ ...fields, ...stack }, String(message));
    }
  }
}
