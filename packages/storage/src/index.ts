export { LocalStorage } from './local.js';
export { S3Storage, type S3StorageOptions } from './s3.js';
export { storageFromConfig } from './from-config.js';
export type { DownloadUrlOptions, Storage } from './storage.js';
export {
  contentKey,
  hashBuffer,
  hashFile,
  putContentAddressed,
  type HashedFile,
  type StoredObject,
} from './content-addressed.js';
