import { LoggerService } from '@nestjs/common';
import { Writable } from 'node:stream';
import { createRootLogger, PinoLoggerService } from '@switchyard/observability';

export interface CapturedLogs {
  logger: LoggerService;
  /** Every line logged so far, as written (JSON). */
  lines: string[];
  text(): string;
}

/** The production logger (pino, same redaction) writing into memory, so tests can scan it. */
export function captureLogger(): CapturedLogs {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done): void {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return {
    logger: new PinoLoggerService(createRootLogger('debug', sink)),
    lines,
    text: () => lines.join('\n'),
  };
}
