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
import { useAction, useAsync, useDebounced, usePaged } from '../ui/hooks.js';
import { TERMINAL } from '../ui/job.js';
import { setQuery } from '../ui/router.js';

type Job = JobRowFragment;

graphql(`
  fragment JobRow on Job {
    id
    title
    retryable
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
  const {
    items: jobs,
    setItems: setJobs,
    first: list,
    more,
    hasMore,
  } = usePaged(async (after) => (await send(LIST, { first: 30, after, filter })).jobs, [key]);
  const total = list.data ?? null;

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
      <MoreButton hasMore={hasMore} busy={more.busy} onMore={() => void more.run()} />
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
            {j.title ?? JOB_WORDS[j.type] ?? j.type}
          </button>
          <div class="muted small">
            {JOB_WORDS[j.type] && j.title ? `${JOB_WORDS[j.type]} · ` : ''}
            <code>{j.type}</code>
          </div>
        </td>
        <td data-label="Status">
          <Badge status={j.status} />
        </td>
        <td data-label="Progress">
          <Progress
            value={j.status === 'COMPLETED' ? 1 : j.progress}
            label={`${j.title ?? j.type} progress`}
          />
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
              {j.retryable && (
                <Button
                  onClick={() => void act.run('retryJob')}
                  busy={act.busy}
                  aria-label={`Retry ${j.title ?? j.type}`}
                >
                  Retry
                </Button>
              )}
              {j.status === 'FAILED' && !j.retryable && (
                <span class="muted small">It failed on its input: a retry would fail again.</span>
              )}
              {(j.status === 'QUEUED' || j.status === 'ACTIVE') && (
                <Button
                  kind="danger"
                  onClick={() => void act.run('cancelJob')}
                  busy={act.busy}
                  aria-label={`Cancel ${j.title ?? j.type}`}
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

/** Job types in an editor's words. */
const JOB_WORDS: Record<string, string> = {
  'translate.content': 'Translation',
  'content.generate': 'Text generation',
  'content.generate-batch': 'Text generation for several articles',
  'content.train-summary-scorer': 'Training the summary scorer',
  'content.train-topic-classifier': 'Training the topic classifier',
  'vision.analyze': 'Image analysis',
  'vision.derivatives': 'Crops and thumbnail',
  'vision.enhance': 'Image enhancement',
  'vision.enrol': 'Enrolling a person',
  'vision.cluster-faces': 'Grouping faces',
  'speech.transcribe': 'Transcription',
  'speech.synthesize': 'Reading aloud',
  'speech.build-vocabulary': 'Building the speech vocabulary',
  'recommender.train': 'Training the recommender',
  'recommender.evaluate': 'Evaluating a recommender',
  'recommender.batch-recommend': 'Recommendations for every reader',
  'recommender.erase-readers': 'Erasing readers',
  'platform.noop': 'Test job',
};

const FIND_ARTICLES = graphql(`
  query JobFormArticles($q: String) {
    contentItems(first: 20, filter: { search: $q }) {
      edges {
        node {
          id
          title
          language
        }
      }
    }
  }
`);
const RECENT_ASSETS = graphql(`
  query JobFormAssets {
    assets(first: 50) {
      edges {
        node {
          id
          filename
          kind
        }
      }
    }
  }
`);
const JOB_LANGUAGES = graphql(`
  query JobFormLanguages {
    translationLanguages {
      code
      name
      asTarget
    }
  }
`);
const TRANSLATE = graphql(`
  mutation JobFormTranslate($id: ID!, $to: [String!]!) {
    translateContent(contentId: $id, targetLanguages: $to) {
      id
    }
  }
`);
const GENERATE = graphql(`
  mutation JobFormGenerate($ids: [ID!]!, $ops: [GenerationOperation!]!) {
    generateForContent(contentIds: $ids, operations: $ops) {
      id
    }
  }
`);
const ANALYZE = graphql(`
  mutation JobFormAnalyze($id: ID!) {
    r: analyzeAsset(assetId: $id) {
      id
    }
  }
`);
const TRANSCRIBE = graphql(`
  mutation JobFormTranscribe($id: ID!) {
    r: transcribe(assetId: $id) {
      id
    }
  }
`);

type FormKind = 'translate' | 'generate' | 'analyze' | 'transcribe' | 'noop';
const FORMS: { key: FormKind; label: string }[] = [
  { key: 'translate', label: 'Translate an article' },
  { key: 'generate', label: 'Summaries and headlines for articles' },
  { key: 'analyze', label: 'Analyse an image' },
  { key: 'transcribe', label: 'Transcribe audio or video' },
  { key: 'noop', label: 'Test job (reports progress, does nothing)' },
];
const OPERATIONS = [
  ['SUMMARY', 'summary'],
  ['HEADLINES', 'headlines'],
  ['KEYWORDS', 'keywords'],
  ['TAGS', 'tags'],
  ['SOCIAL', 'social posts'],
] as const;

/** Starts the common jobs from a form; any job type with a JSON payload behind "Advanced". */
function StartJob({ types, onStarted }: { types: string[]; onStarted: () => void }) {
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState<FormKind>('translate');
  const [articleQ, setArticleQ] = useState('');
  const aq = useDebounced(articleQ.trim());
  const [articles, setArticles] = useState<string[]>([]);
  const [languages, setLanguages] = useState<string[]>([]);
  const [ops, setOps] = useState<string[]>(['SUMMARY', 'HEADLINES']);
  const [asset, setAsset] = useState('');
  const [steps, setSteps] = useState('10');
  const [seconds, setSeconds] = useState('5');
  const [type, setType] = useState('platform.noop');
  const [payload, setPayload] = useState('{"steps": 10, "durationMs": 5000}');
  const found = useAsync(
    () =>
      open && (form === 'translate' || form === 'generate')
        ? send(FIND_ARTICLES, { q: aq || null }).then((d) => d.contentItems.edges.map((e) => e.node))
        : Promise.resolve([]),
    [open, form, aq],
  );
  const langs = useAsync(
    () =>
      open && form === 'translate'
        ? send(JOB_LANGUAGES).then((d) => d.translationLanguages)
        : Promise.resolve([]),
    [open, form],
  );
  const media = useAsync(
    () =>
      open && (form === 'analyze' || form === 'transcribe')
        ? send(RECENT_ASSETS).then((d) => d.assets.edges.map((e) => e.node))
        : Promise.resolve([]),
    [open, form],
  );
  const toggle = (list: string[], set: (l: string[]) => void, v: string, on: boolean) =>
    set(on ? [...new Set([...list, v])] : list.filter((x) => x !== v));
  const done = (what: string) => {
    announce(`${what} queued`);
    setOpen(false);
    onStarted();
  };
  const act = useAction(async (advanced: boolean) => {
    if (advanced) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(payload);
      } catch {
        throw new Error('The payload is not valid JSON, e.g. {"steps": 10, "durationMs": 5000}');
      }
      await send(ENQUEUE, { input: { type, payload: parsed } });
      return done('Job');
    }
    if (form === 'translate') {
      if (articles.length !== 1) throw new Error('Choose the article to translate.');
      if (!languages.length) throw new Error('Tick at least one language to translate into.');
      await send(TRANSLATE, { id: articles[0], to: languages });
    } else if (form === 'generate') {
      if (!articles.length) throw new Error('Tick the articles to write for.');
      if (!ops.length) throw new Error('Tick what to write.');
      await send(GENERATE, { ids: articles, ops: ops as (typeof OPERATIONS)[number][0][] });
    } else if (form === 'analyze' || form === 'transcribe') {
      if (!asset) throw new Error(`Choose the ${form === 'analyze' ? 'image' : 'recording'}.`);
      await send(form === 'analyze' ? ANALYZE : TRANSCRIBE, { id: asset });
    } else {
      await send(ENQUEUE, {
        input: {
          type: 'platform.noop',
          payload: { steps: Number(steps), durationMs: Number(seconds) * 1000 },
        },
      });
    }
    done(FORMS.find((f) => f.key === form)!.label);
  });
  if (!open)
    return (
      <Button kind="primary" onClick={() => setOpen(true)}>
        Start a job
      </Button>
    );
  const pickArticles = form === 'translate' || form === 'generate';
  const pickAsset = form === 'analyze' || form === 'transcribe';
  return (
    <div class="card start-job">
      <form
        aria-label="Start a job"
        onSubmit={(e) => {
          e.preventDefault();
          void act.run(false);
        }}
      >
        <Field label="What to do">
          <select value={form} onChange={(e) => setForm(e.currentTarget.value as FormKind)}>
            {FORMS.map((f) => (
              <option key={f.key} value={f.key}>
                {f.label}
              </option>
            ))}
          </select>
        </Field>
        {pickArticles && (
          <fieldset>
            <legend>{form === 'translate' ? 'The article' : 'The articles'}</legend>
            <Field label="Find articles">
              <input type="search" value={articleQ} onInput={(e) => setArticleQ(e.currentTarget.value)} />
            </Field>
            <div class="pick-list">
              {found.data?.map((c) => (
                <label key={c.id} class="check">
                  <input
                    type={form === 'translate' ? 'radio' : 'checkbox'}
                    name="job-article"
                    checked={articles.includes(c.id)}
                    onChange={(e) =>
                      form === 'translate'
                        ? setArticles([c.id])
                        : toggle(articles, setArticles, c.id, e.currentTarget.checked)
                    }
                  />{' '}
                  {c.title} {c.language && <span class="muted">({c.language})</span>}
                </label>
              ))}
              {found.data && !found.data.length && <p class="muted">No article matches.</p>}
            </div>
          </fieldset>
        )}
        {form === 'translate' && (
          <fieldset>
            <legend>Into</legend>
            <div class="row">
              {langs.data
                ?.filter((l) => l.asTarget)
                .map((l) => (
                  <label key={l.code} class="check">
                    <input
                      type="checkbox"
                      checked={languages.includes(l.code)}
                      onChange={(e) => toggle(languages, setLanguages, l.code, e.currentTarget.checked)}
                    />{' '}
                    {l.name}
                  </label>
                ))}
            </div>
          </fieldset>
        )}
        {form === 'generate' && (
          <fieldset>
            <legend>Write</legend>
            <div class="row">
              {OPERATIONS.map(([op, words]) => (
                <label key={op} class="check">
                  <input
                    type="checkbox"
                    checked={ops.includes(op)}
                    onChange={(e) => toggle(ops, setOps, op, e.currentTarget.checked)}
                  />{' '}
                  {words}
                </label>
              ))}
            </div>
          </fieldset>
        )}
        {pickAsset && (
          <Field label={form === 'analyze' ? 'Image' : 'Recording'}>
            <select value={asset} onChange={(e) => setAsset(e.currentTarget.value)}>
              <option value="">Choose…</option>
              {media.data
                ?.filter((a) =>
                  form === 'analyze' ? a.kind === 'image' : a.kind === 'audio' || a.kind === 'video',
                )
                .map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.filename}
                  </option>
                ))}
            </select>
          </Field>
        )}
        {form === 'noop' && (
          <div class="row">
            <Field label="Steps">
              <input
                type="number"
                min={1}
                max={1000}
                value={steps}
                onInput={(e) => setSteps(e.currentTarget.value)}
              />
            </Field>
            <Field label="Seconds">
              <input
                type="number"
                min={0}
                max={600}
                value={seconds}
                onInput={(e) => setSeconds(e.currentTarget.value)}
              />
            </Field>
          </div>
        )}
        <ErrorNote error={act.error} />
        <div class="row">
          <Button kind="primary" type="submit" busy={act.busy}>
            Queue it
          </Button>
          <Button onClick={() => setOpen(false)}>Close</Button>
        </div>
      </form>
      <details>
        <summary>Advanced: any job type, payload as JSON</summary>
        <form
          aria-label="Start a job from JSON"
          onSubmit={(e) => {
            e.preventDefault();
            void act.run(true);
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
          <Button type="submit" busy={act.busy}>
            Queue this payload
          </Button>
        </form>
      </details>
    </div>
  );
}
