import pino from 'pino';
import { ConfigError, loadConfig } from '@media-ai/config';
import { PreflightError, preflight } from '@media-ai/jobs';
import { storageFromConfig } from '@media-ai/storage';
import { startApi } from './app.js';

const log = pino({ name: 'api', level: process.env.LOG_LEVEL ?? 'info' });

try {
  const config = loadConfig();
  // Unreachable services, a queue prefix of another deployment, a missing bucket: fail now, saying why.
  for (const warning of (await preflight(config)).warnings) log.warn(warning);
  await storageFromConfig(config).ensureReady();
  const api = await startApi(config, log);
  const stop = () => {
    log.info('stopping API');
    api.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (err) {
  if (err instanceof ConfigError || err instanceof PreflightError) log.fatal(err.message);
  else log.fatal({ err: (err as Error).message, stack: (err as Error).stack }, 'API failed to start');
  process.exit(1);
}
