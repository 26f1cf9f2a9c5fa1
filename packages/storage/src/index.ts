export { LocalStorage } from './local.js';
export type { Storage } from './storage.js';
export {
  contentKey,
  hashBuffer,
  hashFile,
  putContentAddressed,
  type HashedFile,
  type StoredObject,
} from './content-addressed.js';
