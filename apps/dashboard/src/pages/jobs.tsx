import { useEffect, useRef, useState } from 'preact/hooks';
import { send } from '../api/client.js';
import { graphql } from '../gql/gql.js';
import type { JobRowFragment, JobStatus } from '../gql/graphql.js';
import { watchJobs } from '../api/live.js';
import { canEdit } from '../session.js';
import type { PageProps } from '../shell.js';
import { announce } from '../ui/announce.js';
import {
  Badge,
  Button,
  ErrorNote,
  Field,
  fmtDate,
  Json,
  Loading,
  MoreButton,
  PageHeader,
  Progress,
} from '../ui/components.js';
import { useAction, useAsync, useDebounced } from '../ui/hooks.js';
import { TERMINAL } from '../ui/job.js';
import { setQuery } from '../ui/router.js';

type Job = JobRowFragment;

graphql(`
  fragment JobRow on Job {
    id
    type
    queue
    status
    progress
    progressMessage
    error
    errorCode
    attempts
    input
    result
    runtime
    contentId
    assetId
    createdAt
    startedAt
    finishedAt
  }
`);

const LIST = graphql(`
  query Jobs($first: Int!, $after: String, $filter: JobFilter) {
    jobs(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...JobRow
        }
      }
    }
  }
`);
const JOB = graphql(`
  query JobRow($id: ID!) {
    job(id: $id) {
      ...JobRow
    }
  }
`);
const JOB_TYPES = graphql(`
  query JobTypes {
    jobTypes {
      name
      queue
      description
    }
  }
`);
const RETRY = graphql(`
  mutation RetryJob($id: ID!) {
    r: retryJob(id: $id) {
      ...JobRow
    }
  }
`);
const CANCEL = graphql(`
  mutation CancelJob($id: ID!) {
    r: cancelJob(id: $id) {
      ...JobRow
    }
  }
`);
const ENQUEUE = graphql(`
  mutation EnqueueJob($input: EnqueueJobInput!) {
    enqueueJob(input: $input) {
      id
    }
  }
`);
const STATUSES = ['QUEUED', 'ACTIVE', 'COMPLETED', 'FAILED', 'CANCELLED'];

export default function JobsPage({ query }: PageProps) {
  const status = query.get('status') ?? '';
  const type = query.get('type') ?? '';
  const queue = query.get('queue') ?? '';
  const focusId = query.get('id');
  const [errText, setErrText] = useState(query.get('error') ?? '');
  const errorContains = useDebounced(errText);
  useEffect(() => setQuery({ error: errorContains }), [errorContains]);
  const types = useAsync(() => send(JOB_TYPES).then((d) => d.jobTypes), []);
  const filter = {
    ...(status ? { statuses: [status as JobStatus] } : {}),
    ...(type ? { types: [type] } : {}),
    ...(queue ? { queue } : {}),
    ...(errorContains ? { errorContains } : {}),
  };
  const key = JSON.stringify(filter);
  const [jobs, setJobs] = useState<Job[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const list = useAsync(async () => {
    const d = await send(LIST, { first: 30, filter });
    setJobs(d.jobs.edges.map((e) => e.node));
    setTotal(d.jobs.totalCount);
    setCursor(d.jobs.pageInfo.hasNextPage ? d.jobs.pageInfo.endCursor : null);
    return true;
  }, [key]);
  const more = useAction(async () => {
    const d = await send(LIST, { first: 30, after: cursor, filter });
    setJobs((j) => [...j, ...d.jobs.edges.map((e) => e.node)]);
    setCursor(d.jobs.pageInfo.hasNextPage ? d.jobs.pageInfo.endCursor : null);
  });

  // Live: update rows in place; a job not on the page (new) reloads the first page, at most once a second.
  const jobsRef = useRef(jobs);
  jobsRef.current = jobs;
  const reloadTimer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(
    () =>
      watchJobs(null, (e) => {
        const known = jobsRef.current.some((j) => j.id === e.jobId);
        if (known) {
          setJobs((js) =>
            js.map((j) =>
              j.id === e.jobId
                ? {
                    ...j,
                    status: e.status as JobStatus,
                    progress:
                      TERMINAL.includes(e.status) && e.status === 'COMPLETED'
                        ? 1
                        : Math.max(
                            e.status === 'ACTIVE' && j.status !== 'ACTIVE' ? 0 : j.progress,
                            e.progress,
                          ),
                    progressMessage: e.message ?? j.progressMessage,
                    error: e.error ?? j.error,
                  }
                : j,
            ),
          );
          // The final row (result, attempts, finishedAt) comes from the server.
          if (TERMINAL.includes(e.status)) {
            void send(JOB, { id: e.jobId }).then((d) =>
              setJobs((js) => js.map((j) => (j.id === e.jobId ? d.job : j))),
            );
          }
        } else if (!reloadTimer.current) {
          reloadTimer.current = setTimeout(() => {
            reloadTimer.current = undefined;
            list.reload();
          }, 1000);
        }
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [key],
  );

  return (
    <>
      <PageHeader title="Jobs">
        {canEdit() && <StartJob types={types.data?.map((t) => t.name) ?? []} onStarted={list.reload} />}
      </PageHeader>
      <form class="filters" role="search" aria-label="Filter jobs" onSubmit={(e) => e.preventDefault()}>
        <Field label="Status">
          <select value={status} onChange={(e) => setQuery({ status: e.currentTarget.value })}>
            <option value="">Any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.toLowerCase()}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Type">
          <select value={type} onChange={(e) => setQuery({ type: e.currentTarget.value })}>
            <option value="">Any</option>
            {types.data?.map((t) => (
              <option key={t.name} value={t.name}>
                {t.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Queue">
          <select value={queue} onChange={(e) => setQuery({ queue: e.currentTarget.value })}>
            <option value="">Any</option>
            {[...new Set(types.data?.map((t) => t.queue))].map((q) => (
              <option key={q} value={q}>
                {q}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Error contains">
          <input type="search" value={errText} onInput={(e) => setErrText(e.currentTarget.value)} />
        </Field>
        <Button onClick={() => setQuery({ status: 'FAILED' })}>Show failures</Button>
      </form>
      <ErrorNote error={list.error} />
      {total !== null && (
        <p class="muted" role="status">
          {total} job{total === 1 ? '' : 's'}
        </p>
      )}
      {list.loading && !jobs.length && <Loading />}
      <div class="table-wrap">
        <table class="list stack jobs">
          <thead>
            <tr>
              <th>Job</th>
              <th>Status</th>
              <th style={{ minWidth: '10rem' }}>Progress</th>
              <th>Created</th>
              <th>Tries</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((j) => (
              <JobRow
                key={j.id}
                job={j}
                open={j.id === focusId}
                onChange={(n) => setJobs((js) => js.map((x) => (x.id === n.id ? { ...x, ...n } : x)))}
              />
            ))}
          </tbody>
        </table>
      </div>
      <ErrorNote error={more.error} />
      <MoreButton hasMore={!!cursor} busy={more.busy} onMore={() => void more.run()} />
    </>
  );
}

function JobRow({
  job: j,
  open,
  onChange,
}: {
  job: Job;
  open: boolean;
  onChange: (j: Partial<Job> & { id: string }) => void;
}) {
  const [expanded, setExpanded] = useState(open);
  const act = useAction(async (what: 'retryJob' | 'cancelJob') => {
    const d = await send(what === 'retryJob' ? RETRY : CANCEL, { id: j.id });
    onChange(d.r);
    announce(what === 'retryJob' ? 'Job queued again' : 'Job cancelled');
  });
  return (
    <>
      <tr data-job-id={j.id} data-status={j.status}>
        <td>
          <button class="linklike btn" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
            {j.type}
          </button>
          <div class="muted small">{j.queue}</div>
        </td>
        <td data-label="Status">
          <Badge status={j.status} />
        </td>
        <td data-label="Progress">
          <Progress value={j.status === 'COMPLETED' ? 1 : j.progress} label={`${j.type} progress`} />
          {j.progressMessage && !TERMINAL.includes(j.status) && (
            <small class="muted">{j.progressMessage}</small>
          )}
          {j.status === 'FAILED' && (
            <p class="error-text">
              {j.error} {j.errorCode && <code>{j.errorCode}</code>}
            </p>
          )}
        </td>
        <td data-label="Created">{fmtDate(j.createdAt)}</td>
        <td data-label="Tries">{j.attempts}</td>
        <td data-label="Actions">
          {canEdit() && (
            <div class="row">
              {(j.status === 'FAILED' || j.status === 'CANCELLED') && (
                <Button
                  onClick={() => void act.run('retryJob')}
                  busy={act.busy}
                  aria-label={`Retry ${j.type} job`}
                >
                  Retry
                </Button>
              )}
              {(j.status === 'QUEUED' || j.status === 'ACTIVE') && (
                <Button
                  kind="danger"
                  onClick={() => void act.run('cancelJob')}
                  busy={act.busy}
                  aria-label={`Cancel ${j.type} job`}
                >
                  Cancel
                </Button>
              )}
            </div>
          )}
          <ErrorNote error={act.error} />
        </td>
      </tr>
      {expanded && (
        <tr>
          <td colSpan={6}>
            <dl class="kv">
              <dt>Id</dt>
              <dd>
                <code>{j.id}</code>
              </dd>
              <dt>Started</dt>
              <dd>{fmtDate(j.startedAt)}</dd>
              <dt>Finished</dt>
              <dd>{fmtDate(j.finishedAt)}</dd>
              {j.contentId && (
                <>
                  <dt>Content</dt>
                  <dd>
                    <a href={`${import.meta.env.BASE_URL}content/${j.contentId}`}>{j.contentId}</a>
                  </dd>
                </>
              )}
              {j.assetId && (
                <>
                  <dt>Asset</dt>
                  <dd>
                    <a href={`${import.meta.env.BASE_URL}media/${j.assetId}`}>{j.assetId}</a>
                  </dd>
                </>
              )}
            </dl>
            <div class="grid2">
              <div>
                <h3>Input</h3>
                <Json value={j.input} />
              </div>
              <div>
                <h3>{j.status === 'FAILED' ? 'Error' : 'Result'}</h3>
                {j.status === 'FAILED' ? <p class="error-text">{j.error}</p> : <Json value={j.result} />}
                {j.runtime != null && (
                  <>
                    <h3>Where it ran</h3>
                    <Json value={j.runtime} />
                  </>
                )}
              </div>
            </div>
          </td>
        </tr>
      )}
    </>
  );
}

function StartJob({ types, onStarted }: { types: string[]; onStarted: () => void }) {
  const [open, setOpen] = useState(false);
  const [type, setType] = useState('platform.noop');
  const [payload, setPayload] = useState('{"steps": 10, "durationMs": 5000}');
  const act = useAction(async () => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      throw new Error('The payload is not valid JSON, e.g. {"steps": 10, "durationMs": 5000}');
    }
    await send(ENQUEUE, { input: { type, payload: parsed } });
    announce('Job queued');
    setOpen(false);
    onStarted();
  });
  if (!open)
    return (
      <Button kind="primary" onClick={() => setOpen(true)}>
        Start a job
      </Button>
    );
  return (
    <form
      class="card"
      aria-label="Start a job"
      onSubmit={(e) => {
        e.preventDefault();
        void act.run();
      }}
    >
      <Field label="Job type">
        <select value={type} onChange={(e) => setType(e.currentTarget.value)}>
          {(types.length ? types : ['platform.noop']).map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </Field>
      <Field label="Payload (JSON)">
        <textarea value={payload} onInput={(e) => setPayload(e.currentTarget.value)} rows={3} />
      </Field>
      <ErrorNote error={act.error} />
      <div class="row">
        <Button kind="primary" type="submit" busy={act.busy}>
          Queue it
        </Button>
        <Button onClick={() => setOpen(false)}>Close</Button>
      </div>
    </form>
  );
}
