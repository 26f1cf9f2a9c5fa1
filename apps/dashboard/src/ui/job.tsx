import { useEffect, useRef, useState } from 'preact/hooks';
import { send } from '../api/client.js';
import { graphql } from '../gql/gql.js';
import { watchJobs, type JobEvent } from '../api/live.js';
import { Badge, Progress } from './components.js';
import { Link } from './router.js';

/** What the pages show of a job (the fragment `JobState`, used by every operation answering a Job). */
export interface JobState {
  id: string;
  type: string;
  status: string;
  progress: number;
  progressMessage?: string | null;
  error?: string | null;
  errorCode?: string | null;
  result?: unknown;
}

graphql(`
  fragment JobState on Job {
    id
    type
    status
    progress
    progressMessage
    error
    errorCode
    result
  }
`);

export const TERMINAL = ['COMPLETED', 'FAILED', 'CANCELLED'];
const JOB = graphql(`
  query FollowJob($id: ID!) {
    job(id: $id) {
      ...JobState
    }
  }
`);

/**
 * Follows one job live (subscription, with a slow poll as a safety net) until it ends; `onEnd`
 * gets the final row with its result.
 */
export function useJob(
  initial: JobState | null,
  onEnd?: (job: JobState) => void,
  onEvent?: (e: JobEvent) => void,
): JobState | null {
  const [job, setJob] = useState<JobState | null>(initial);
  const ended = useRef(false);
  const endRef = useRef(onEnd);
  endRef.current = onEnd;
  const eventRef = useRef(onEvent);
  eventRef.current = onEvent;
  const id = initial?.id;
  useEffect(() => {
    if (!id) return;
    ended.current = false;
    setJob(initial);
    const finish = async () => {
      if (ended.current) return;
      ended.current = true;
      const row = (await send(JOB, { id })).job;
      setJob(row);
      endRef.current?.(row);
    };
    const stop = watchJobs(id, (e) => {
      eventRef.current?.(e);
      setJob(
        (j) =>
          ({
            ...(j ?? { id, type: e.type }),
            status: e.status,
            progress: e.progress,
            progressMessage: e.message,
            error: e.error,
          }) as JobState,
      );
      if (TERMINAL.includes(e.status)) void finish();
    });
    const poll = async () => {
      if (ended.current) return;
      const row = (await send(JOB, { id }).catch(() => null))?.job;
      if (!row || ended.current) return;
      if (TERMINAL.includes(row.status)) void finish();
      else setJob((j) => (j && j.progress > row.progress ? j : row));
    };
    void poll();
    const t = setInterval(poll, 5000);
    return () => {
      stop();
      clearInterval(t);
      ended.current = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id]);
  return job;
}

/** A job's progress bar, status and error, following it live. */
export function JobLine({
  job: initial,
  label,
  onEnd,
}: {
  job: JobState;
  label?: string;
  onEnd?: (j: JobState) => void;
}) {
  const job = useJob(initial, onEnd) ?? initial;
  return (
    <div class="job-line">
      <div class="job-line-head">
        <span>{label ?? job.type}</span> <Badge status={job.status} />{' '}
        <Link to={`jobs?id=${job.id}`} class="small">
          job details
        </Link>
      </div>
      {!TERMINAL.includes(job.status) && (
        <Progress value={job.progress} label={`${label ?? job.type} progress`} />
      )}
      {job.progressMessage && !TERMINAL.includes(job.status) && (
        <small class="muted">{job.progressMessage}</small>
      )}
      {job.status === 'FAILED' && (
        <p class="error-text" role="alert">
          Failed: {job.error ?? 'no error message'} {job.errorCode && <code>{job.errorCode}</code>}
        </p>
      )}
    </div>
  );
}
