import { clearKey, gql, setKey } from './api/client.js';
import { loadSchema } from './api/schema.js';

export interface Me {
  clientId: string;
  name: string;
  role: 'ADMIN' | 'EDITOR' | 'APP';
  newsroom: { id: string; name: string; slug: string; maxOpenJobs: number; maxJobsPerDay: number };
}

export let me: Me | null = null;

const ME = `{ me { clientId name role newsroom { id name slug maxOpenJobs maxJobsPerDay } } }`;

/** Checks the key against the server, then reads the schema. Throws ApiError when the key is refused. */
export async function signIn(key: string, remember: boolean): Promise<Me> {
  const data = await gql<{ me: Me }>(ME, {}, key);
  setKey(key, remember);
  await loadSchema();
  me = data.me;
  return me;
}

export async function resume(): Promise<Me> {
  const data = await gql<{ me: Me }>(ME);
  await loadSchema();
  me = data.me;
  return me;
}

export function signOut(): void {
  clearKey();
  me = null;
}

export const canEdit = () => me?.role === 'ADMIN' || me?.role === 'EDITOR';
export const isAdmin = () => me?.role === 'ADMIN';
