import type { Client } from 'graphql-ws';
import { getKey } from './client.js';
import { graphql } from '../gql/gql.js';
import type { TypedDocumentString } from '../gql/graphql.js';

/** GraphQL subscriptions over graphql-ws at /graphql; the library loads on first use. */

let client: Promise<Client> | null = null;
let clientKey: string | null = null;
/** connected: live; false: reconnecting while a page follows something; null: nothing to follow (no socket). */
export type LiveStatus = boolean | null;
const statusListeners = new Set<(status: LiveStatus) => void>();
let active = 0;
const notify = (s: LiveStatus) => statusListeners.forEach((fn) => fn(s));

function connect(): Promise<Client> {
  const key = getKey();
  if (client && clientKey === key) return client;
  if (client) void client.then((c) => c.dispose());
  clientKey = key;
  client = import('graphql-ws').then(({ createClient }) =>
    createClient({
      url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
      connectionParams: () => ({ authorization: `Bearer ${getKey()}` }),
      lazy: true,
      retryAttempts: Infinity,
      shouldRetry: () => true,
      on: {
        connected: () => notify(true),
        // The socket closes on its own when the last subscription ends (lazy): that is not "offline".
        closed: () => notify(active > 0 ? false : null),
      },
    }),
  );
  return client;
}

export function onLiveStatus(fn: (status: LiveStatus) => void): () => void {
  statusListeners.add(fn);
  return () => statusListeners.delete(fn);
}

/** Subscribes; returns the function that stops it. */
export function subscribe<T, V>(
  doc: TypedDocumentString<T, V>,
  variables: V,
  onData: (data: T) => void,
  onError?: (e: unknown) => void,
): () => void {
  let stop: (() => void) | null = null;
  let stopped = false;
  active++;
  void connect().then((c) => {
    if (stopped) return;
    stop = c.subscribe<T>(
      { query: doc.toString(), variables: variables as Record<string, unknown> },
      {
        next: (m) => m.data && onData(m.data as T),
        error: (e) => onError?.(e),
        complete: () => undefined,
      },
    );
  });
  return () => {
    if (stopped) return;
    stopped = true;
    active--;
    stop?.();
  };
}

export interface JobEvent {
  jobId: string;
  type: string;
  status: string;
  progress: number;
  message: string | null;
  data: unknown;
  error: string | null;
}

const JOB_PROGRESS = graphql(`
  subscription JobProgress($jobId: ID) {
    jobProgress(jobId: $jobId) {
      jobId
      type
      status
      progress
      message
      data
      error
    }
  }
`);

/** Events of one job, or of every job of the newsroom when jobId is null. */
export function watchJobs(jobId: string | null, onEvent: (e: JobEvent) => void): () => void {
  return subscribe(JOB_PROGRESS, { jobId }, (d) => onEvent(d.jobProgress));
}
