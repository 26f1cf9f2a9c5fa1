import pino from 'pino';
import { ConfigError, loadConfig } from '@media-ai/config';
import { PreflightError, preflight } from '@media-ai/jobs';
import { storageFromConfig } from '@media-ai/storage';
import { startWorker } from './runtime.js';

const log = pino({ name: 'worker', level: process.env.LOG_LEVEL ?? 'info' });

try {
  const config = loadConfig();
  // Unreachable services, a queue prefix of another deployment, a missing bucket: fail now, saying why.
  for (const warning of (await preflight(config)).warnings) log.warn(warning);
  await storageFromConfig(config).ensureReady();
  const runtime = await startWorker(config, log);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: no new jobs; finishing or handing back running ones');
    runtime.close().then(
      () => process.exit(0),
      (err: Error) => {
        log.error({ err: err.message }, 'unclean shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
} catch (err) {
  if (err instanceof ConfigError || err instanceof PreflightError) log.fatal(err.message);
  else log.fatal({ err: (err as Error).message }, 'worker failed to start');
  process.exit(1);
}
