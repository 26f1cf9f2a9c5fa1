import type { Client } from 'graphql-ws';
import { getKey } from './client.js';

/** GraphQL subscriptions over graphql-ws at /graphql; the library loads on first use. */

let client: Promise<Client> | null = null;
let clientKey: string | null = null;
const statusListeners = new Set<(connected: boolean) => void>();

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
        connected: () => statusListeners.forEach((fn) => fn(true)),
        closed: () => statusListeners.forEach((fn) => fn(false)),
      },
    }),
  );
  return client;
}

export function onLiveStatus(fn: (connected: boolean) => void): () => void {
  statusListeners.add(fn);
  return () => statusListeners.delete(fn);
}

/** Subscribes; returns the function that stops it. */
export function subscribe<T>(
  query: string,
  variables: Record<string, unknown>,
  onData: (data: T) => void,
  onError?: (e: unknown) => void,
): () => void {
  let stop: (() => void) | null = null;
  let stopped = false;
  void connect().then((c) => {
    if (stopped) return;
    stop = c.subscribe<T>(
      { query, variables },
      {
        next: (m) => m.data && onData(m.data as T),
        error: (e) => onError?.(e),
        complete: () => undefined,
      },
    );
  });
  return () => {
    stopped = true;
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

const JOB_PROGRESS = `subscription($jobId: ID) { jobProgress(jobId: $jobId) { jobId type status progress message data error } }`;

/** Events of one job, or of every job of the newsroom when jobId is null. */
export function watchJobs(jobId: string | null, onEvent: (e: JobEvent) => void): () => void {
  return subscribe<{ jobProgress: JobEvent }>(JOB_PROGRESS, { jobId }, (d) => onEvent(d.jobProgress));
}
