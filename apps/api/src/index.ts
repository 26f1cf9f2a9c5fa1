export { startApi, type ApiServer } from './app.js';
export { createApiClient } from './auth/api-keys.js';
