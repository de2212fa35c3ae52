import { Logger, LoggerService } from '@nestjs/common';
import { AppConfig, ConfigError, loadConfig } from '@switchyard/config';
import { createRootLogger, PinoLoggerService } from '@switchyard/observability';
import { DependencyUnavailable, preflight } from './preflight';
import { prepareDatabase } from './prepare-database';

/** Loads and validates the configuration, or prints why not and exits 1. */
export function configOrExit(env: NodeJS.ProcessEnv = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`switchyard: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** The process's one logger, also installed as Nest's static Logger for code outside apps. */
export function processLogger(config: AppConfig): LoggerService {
  const logger = new PinoLoggerService(createRootLogger(config.logLevel));
  Logger.overrideLogger(logger);
  return logger;
}

/** Runs `main`; expected start-up failures print one line, anything else its stack. */
export function runMain(name: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof DependencyUnavailable) {
      process.stderr.write(`switchyard ${name}: ${error.message}\n`);
    } else {
      process.stderr.write(
        `switchyard ${name} failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
    process.exit(1);
  });
}

/** Calls `stop` once on SIGTERM/SIGINT, then exits; a second signal exits at once. */
export function onShutdownSignal(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(130);
    stopping = true;
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`switchyard: shutdown after ${signal} failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}

/**
 * The standard life of a Switchyard process: validated config, the logger, a check that Postgres
 * and Redis answer, migrations under the lock, then `boot`; SIGTERM/SIGINT close what it returned.
 */
export function runApp(
  name: string,
  boot: (config: AppConfig, logger: LoggerService) => Promise<{ close(): Promise<void> }>,
): void {
  runMain(name, async () => {
    const config = configOrExit();
    const logger = processLogger(config);
    const started: { app?: { close(): Promise<void> } } = {};
    // Registered before anything starts: a signal during start-up still ends the process cleanly.
    onShutdownSignal(async () => {
      await started.app?.close();
    });
    await preflight(config, { postgres: true, redis: true });
    await prepareDatabase(config);
    started.app = await boot(config, logger);
  });
}
