import { clearKey, send, sendWithKey, setKey } from './api/client.js';
import { graphql } from './gql/gql.js';
import type { MeQuery } from './gql/graphql.js';

export type Me = MeQuery['me'];

export let me: Me | null = null;

const ME = graphql(`
  query Me {
    me {
      clientId
      name
      role
      newsroom {
        id
        name
        slug
        maxOpenJobs
        maxJobsPerDay
      }
    }
  }
`);

/** Checks the key against the server. Throws ApiError when the key is refused. */
export async function signIn(key: string, remember: boolean): Promise<Me> {
  const data = await sendWithKey(key, ME);
  setKey(key, remember);
  me = data.me;
  return me;
}

export async function resume(): Promise<Me> {
  me = (await send(ME)).me;
  return me;
}

export function signOut(): void {
  clearKey();
  me = null;
}

export const canEdit = () => me?.role === 'ADMIN' || me?.role === 'EDITOR';
export const isAdmin = () => me?.role === 'ADMIN';
