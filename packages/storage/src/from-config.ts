import path from 'node:path';
import type { Config } from '@media-ai/config';
import { LocalStorage } from './local.js';
import { S3Storage } from './s3.js';
import type { Storage } from './storage.js';

/** The store chosen by STORAGE: the local folder (one machine) or an S3-compatible bucket. */
export function storageFromConfig(config: Config): Storage {
  if (config.STORAGE === 's3') {
    return new S3Storage({
      bucket: config.S3_BUCKET!,
      endpoint: config.S3_ENDPOINT,
      region: config.S3_REGION,
      accessKeyId: config.S3_ACCESS_KEY_ID,
      secretAccessKey: config.S3_SECRET_ACCESS_KEY,
      forcePathStyle: config.S3_FORCE_PATH_STYLE,
      prefix: config.S3_PREFIX,
      partBytes: config.S3_PART_BYTES,
      presignTtlS: config.S3_PRESIGN_DOWNLOADS ? config.S3_PRESIGN_TTL_S : undefined,
      tempRoot: path.join(config.MEDIAAI_DATA_DIR, 'tmp'),
    });
  }
  return new LocalStorage(path.join(config.MEDIAAI_DATA_DIR, 'storage'));
}
