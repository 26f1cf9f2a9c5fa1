import { useEffect, useState } from 'preact/hooks';
import { send } from '../api/client.js';
import { graphql } from '../gql/gql.js';
import type { ModelVersionRowFragment } from '../gql/graphql.js';
import { watchJobs } from '../api/live.js';
import { canEdit } from '../session.js';
import type { PageProps } from '../shell.js';
import { Experiments } from './experiments.js';
import { announce } from '../ui/announce.js';
import { LineChart, type Series } from '../ui/chart.js';
import {
  Badge,
  Button,
  ErrorNote,
  Field,
  fmtBytes,
  fmtDate,
  Json,
  Loading,
  PageHeader,
  Progress,
} from '../ui/components.js';
import { useAction, useAsync } from '../ui/hooks.js';
import { JobLine, TERMINAL, type JobState } from '../ui/job.js';
import { Link, setQuery } from '../ui/router.js';

type Version = Omit<ModelVersionRowFragment, 'metrics' | 'params' | 'history'> & {
  metrics: Record<string, unknown>;
  params: Record<string, unknown>;
  history: Record<string, unknown>[];
};

graphql(`
  fragment ModelVersionRow on ModelVersion {
    id
    area
    name
    version
    algorithm
    params
    metrics
    history
    artifactBytes
    status
    backend
    trainingJobId
    notes
    createdAt
    activatedAt
    dataWindowStart
    dataWindowEnd
  }
`);
const VERSIONS = graphql(`
  query ModelVersions($f: ModelFilter) {
    modelVersions(first: 100, filter: $f) {
      totalCount
      edges {
        node {
          ...ModelVersionRow
        }
      }
    }
  }
`);
const VERSION = graphql(`
  query ModelVersion($id: ID!) {
    modelVersion(id: $id) {
      ...ModelVersionRow
    }
  }
`);
const ACTIVATE_RECOMMENDER = graphql(`
  mutation ActivateRecommenderModel($id: ID!) {
    r: activateRecommenderModel(id: $id) {
      id
      status
    }
  }
`);
const ACTIVATE_CONTENT = graphql(`
  mutation ActivateContentModel($id: ID!) {
    r: activateContentModel(id: $id) {
      id
      status
    }
  }
`);
const ACTIVATE_SPEECH = graphql(`
  mutation ActivateSpeechModel($id: ID!) {
    r: activateSpeechModel(id: $id) {
      id
      status
    }
  }
`);
const ROLLBACK_RECOMMENDER = graphql(`
  mutation RollbackRecommender($to: ID) {
    rollbackRecommender(toVersionId: $to) {
      id
      status
    }
  }
`);
const TRAIN_RECOMMENDER = graphql(`
  mutation TrainRecommender($input: TrainRecommenderInput) {
    r: trainRecommender(input: $input) {
      ...JobState
    }
  }
`);
const TRAIN_SUMMARY_SCORER = graphql(`
  mutation TrainSummaryScorer($options: TrainContentModelInput) {
    r: trainSummaryScorer(options: $options) {
      ...JobState
    }
  }
`);
const TRAIN_TOPIC_CLASSIFIER = graphql(`
  mutation TrainTopicClassifier($options: TrainContentModelInput) {
    r: trainTopicClassifier(options: $options) {
      ...JobState
    }
  }
`);
const BUILD_VOCABULARY = graphql(`
  mutation BuildSpeechVocabulary {
    r: buildSpeechVocabulary {
      ...JobState
    }
  }
`);

/** Counts as whole numbers (8,752), measures with four decimals (0.4819). */
export const fmtMetric = (x: number) => (Number.isInteger(x) ? x.toLocaleString('en') : x.toFixed(4));

const asVersion = (v: ModelVersionRowFragment) => v as Version;

const AREAS = ['recommender', 'content', 'speech', 'vision', 'translate'];

export default function ModelsPage({ params, query }: PageProps) {
  if (params[0]) return <VersionView id={params[0]} />;
  return <Registry area={query.get('area') ?? ''} metric={query.get('metric') ?? ''} />;
}

const numericKeys = (vs: Version[]) =>
  [
    ...new Set(
      vs.flatMap((v) =>
        Object.entries(v.metrics ?? {})
          .filter(([, x]) => typeof x === 'number')
          .map(([k]) => k),
      ),
    ),
  ].sort();

interface LiveRun {
  jobId: string;
  type: string;
  progress: number;
  status: string;
  points: { epoch: number; loss: number }[];
  message: string | null;
}

function Registry({ area, metric }: { area: string; metric: string }) {
  const list = useAsync(
    () =>
      send(VERSIONS, { f: area ? { area } : null }).then((d) =>
        d.modelVersions.edges.map((e) => asVersion(e.node)),
      ),
    [area],
  );
  const [runs, setRuns] = useState<Record<string, LiveRun>>({});
  const [started, setStarted] = useState<{ job: JobState; label: string }[]>([]);
  // Training runs report {epoch, loss} in their progress events: chart them as they arrive.
  useEffect(
    () =>
      watchJobs(null, (e) => {
        const d = (e.data ?? {}) as { epoch?: number; loss?: number };
        const isTraining = typeof d.epoch === 'number' || /train/i.test(e.type);
        if (!isTraining) return;
        setRuns((rs) => {
          const r = rs[e.jobId] ?? {
            jobId: e.jobId,
            type: e.type,
            progress: 0,
            status: e.status,
            points: [],
            message: null,
          };
          const points =
            typeof d.epoch === 'number' && typeof d.loss === 'number'
              ? [...r.points.filter((p) => p.epoch !== d.epoch), { epoch: d.epoch, loss: d.loss }]
              : r.points;
          return {
            ...rs,
            [e.jobId]: {
              ...r,
              type: e.type || r.type,
              status: e.status,
              progress: Math.max(r.progress, e.progress),
              points,
              message: e.message ?? r.message,
            },
          };
        });
        if (TERMINAL.includes(e.status)) list.reload();
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [area],
  );
  const vs = list.data ?? [];
  const keys = numericKeys(vs);
  // By default, a quality measure that most versions report (a metric with one point makes no chart).
  const pointsOf = (k: string) => vs.filter((v) => typeof v.metrics?.[k] === 'number').length;
  const byPoints = [...keys].sort((a, b) => pointsOf(b) - pointsOf(a));
  const quality = (k: string) => /ndcg|map|precision|recall|accuracy|f1|bleu|wer|rouge/i.test(k);
  const chosen = keys.includes(metric)
    ? metric
    : (byPoints.find((k) => quality(k) && pointsOf(k) > 1) ??
      byPoints.find((k) => pointsOf(k) > 1) ??
      byPoints[0]);
  const byName = new Map<string, Version[]>();
  for (const v of vs) byName.set(`${v.area}/${v.name}`, [...(byName.get(`${v.area}/${v.name}`) ?? []), v]);
  const series: Series[] = [...byName.entries()]
    .map(([name, list]) => ({
      name,
      points: list
        .filter((v) => typeof v.metrics?.[chosen ?? ''] === 'number')
        .map((v) => ({ x: v.version, y: v.metrics[chosen!] as number, label: `v${v.version}` })),
    }))
    .filter((s) => s.points.length);

  return (
    <>
      <PageHeader title="Models" />
      <form class="filters" aria-label="Choose area" onSubmit={(e) => e.preventDefault()}>
        <Field label="Area">
          <select value={area} onChange={(e) => setQuery({ area: e.currentTarget.value })}>
            <option value="">All areas</option>
            {AREAS.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </Field>
        {keys.length > 0 && (
          <Field label="Metric to chart">
            <select value={chosen} onChange={(e) => setQuery({ metric: e.currentTarget.value })}>
              {keys.map((k) => (
                <option key={k}>{k}</option>
              ))}
            </select>
          </Field>
        )}
      </form>
      {(area === '' || area === 'recommender') && <Experiments />}
      <Training area={area} onStarted={(j, label) => setStarted((s) => [{ job: j, label }, ...s])} />
      {started.map((j) => (
        <JobLine key={j.job.id} job={j.job} label={j.label} onEnd={list.reload} />
      ))}
      {Object.values(runs).map((r) => (
        <section key={r.jobId} class="card" aria-label={`Training run ${r.type}`}>
          <h2>
            Training now: {r.type} <Badge status={r.status} />
          </h2>
          {!TERMINAL.includes(r.status) && <Progress value={r.progress} label={`${r.type} progress`} />}
          {r.message && !TERMINAL.includes(r.status) && <p class="muted">{r.message}</p>}
          <LineChart
            title="Loss per epoch (live)"
            xLabel="epoch"
            yLabel="loss"
            series={[{ name: 'loss', points: r.points.map((p) => ({ x: p.epoch, y: p.loss })) }]}
          />
        </section>
      ))}
      <ErrorNote error={list.error} />
      {!list.data ? (
        <Loading />
      ) : !vs.length ? (
        <p class="muted">No model versions {area ? `in ${area}` : ''} yet.</p>
      ) : (
        <>
          {chosen && series.length > 0 && (
            <LineChart title={`${chosen} across versions`} xLabel="version" yLabel={chosen} series={series} />
          )}
          <div class="table-wrap">
            <table class="list stack" data-testid="versions">
              <thead>
                <tr>
                  <th>Model</th>
                  <th>Version</th>
                  <th>Status</th>
                  <th>Algorithm</th>
                  <th>{chosen ?? 'Metric'}</th>
                  <th>Created</th>
                  <th>Actions</th>
                </tr>
              </thead>
              <tbody>
                {vs.map((v) => (
                  <tr key={v.id}>
                    <td>
                      <Link to={`models/${v.id}`}>
                        {v.area}/{v.name}
                      </Link>
                    </td>
                    <td data-label="Version">v{v.version}</td>
                    <td data-label="Status">
                      <Badge status={v.status} />
                    </td>
                    <td data-label="Algorithm">
                      {v.algorithm} {v.backend && <span class="muted small">({v.backend})</span>}
                    </td>
                    <td data-label={chosen ?? 'Metric'}>
                      {typeof v.metrics?.[chosen ?? ''] === 'number'
                        ? fmtMetric(v.metrics[chosen!] as number)
                        : '—'}
                    </td>
                    <td data-label="Created">{fmtDate(v.createdAt)}</td>
                    <td data-label="Actions">
                      <VersionActions v={v} onDone={list.reload} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}

/** How each area makes a version serve (activating a retired one is rolling back to it). */
const ACTIVATE: Record<string, (id: string) => Promise<unknown>> = {
  recommender: (id) => send(ACTIVATE_RECOMMENDER, { id }),
  content: (id) => send(ACTIVATE_CONTENT, { id }),
  speech: (id) => send(ACTIVATE_SPEECH, { id }),
};

function VersionActions({ v, onDone }: { v: Version; onDone: () => void }) {
  const activate = ACTIVATE[v.area];
  const act = useAction(async (what: 'activate' | 'rollback') => {
    if (what === 'rollback' && v.area === 'recommender') {
      // On a retired version: back to it; on the active one: back to the one before it.
      await send(ROLLBACK_RECOMMENDER, { to: v.status === 'RETIRED' ? v.id : null });
      announce(
        v.status === 'RETIRED' ? `Rolled back to v${v.version}` : 'Rolled back to the previous version',
      );
    } else {
      await activate(v.id);
      announce(what === 'activate' ? `v${v.version} is now active` : `Rolled back to v${v.version}`);
    }
    onDone();
  });
  if (!canEdit() || !activate) return null;
  return (
    <div class="row">
      {v.status === 'CANDIDATE' && (
        <Button
          onClick={() => void act.run('activate')}
          busy={act.busy}
          aria-label={`Activate ${v.name} v${v.version}`}
        >
          Activate
        </Button>
      )}
      {v.status === 'RETIRED' && (
        <Button
          onClick={() => void act.run('rollback')}
          busy={act.busy}
          aria-label={`Roll back to ${v.name} v${v.version}`}
        >
          Roll back to this
        </Button>
      )}
      {v.status === 'ACTIVE' && v.area === 'recommender' && (
        <Button kind="danger" onClick={() => void act.run('rollback')} busy={act.busy}>
          Roll back
        </Button>
      )}
      <ErrorNote error={act.error} />
    </div>
  );
}

interface Trainer {
  key: string;
  area: string;
  label: string;
  /** Which fields the form offers. */
  fields: ('algorithm' | 'epochs')[];
  start: (f: { algorithm?: string; epochs?: number }) => Promise<JobState>;
}
const TRAINERS: Trainer[] = [
  {
    key: 'recommender',
    area: 'recommender',
    label: 'Train the recommender',
    fields: ['algorithm', 'epochs'],
    start: async (f) =>
      (
        await send(TRAIN_RECOMMENDER, {
          input: { algorithm: f.algorithm, ...(f.epochs ? { params: { epochs: f.epochs } } : {}) },
        })
      ).r,
  },
  {
    key: 'summary-scorer',
    area: 'content',
    label: 'Train the summary scorer',
    fields: ['epochs'],
    start: async (f) => (await send(TRAIN_SUMMARY_SCORER, { options: { epochs: f.epochs } })).r,
  },
  {
    key: 'topic-classifier',
    area: 'content',
    label: 'Train the topic classifier',
    fields: ['epochs'],
    start: async (f) => (await send(TRAIN_TOPIC_CLASSIFIER, { options: { epochs: f.epochs } })).r,
  },
  {
    key: 'speech-vocabulary',
    area: 'speech',
    label: 'Build the speech vocabulary',
    fields: [],
    start: async () => (await send(BUILD_VOCABULARY)).r,
  },
];

function Training({ area, onStarted }: { area: string; onStarted: (j: JobState, label: string) => void }) {
  const available = TRAINERS.filter((t) => !area || t.area === area);
  const [which, setWhich] = useState('');
  const chosen = available.find((t) => t.key === which) ?? available[0];
  const [algorithm, setAlgorithm] = useState('');
  const [epochs, setEpochs] = useState('');
  const act = useAction(async () => {
    const job = await chosen.start({
      algorithm: algorithm || undefined,
      epochs: epochs ? Number(epochs) : undefined,
    });
    onStarted(job, chosen.label);
    announce('Training queued');
  });
  if (!canEdit() || !chosen) return null;
  return (
    <form
      class="card"
      aria-label="Start training"
      onSubmit={(e) => {
        e.preventDefault();
        void act.run();
      }}
    >
      <h2>Train a model</h2>
      <div class="row">
        <Field label="Model">
          <select value={chosen.key} onChange={(e) => setWhich(e.currentTarget.value)}>
            {available.map((t) => (
              <option key={t.key} value={t.key}>
                {t.label}
              </option>
            ))}
          </select>
        </Field>
        {chosen.fields.includes('algorithm') && (
          <Field label="Algorithm" hint="Empty: the newsroom's default">
            <input
              value={algorithm}
              onInput={(e) => setAlgorithm(e.currentTarget.value.trim())}
              placeholder="e.g. bpr, als, two-tower"
            />
          </Field>
        )}
        {chosen.fields.includes('epochs') && (
          <Field label="Epochs" hint="Empty: the default">
            <input type="number" min={1} value={epochs} onInput={(e) => setEpochs(e.currentTarget.value)} />
          </Field>
        )}
      </div>
      <ErrorNote error={act.error} />
      <Button kind="primary" type="submit" busy={act.busy}>
        Start training
      </Button>
    </form>
  );
}

function VersionView({ id }: { id: string }) {
  const v = useAsync(() => send(VERSION, { id }).then((d) => asVersion(d.modelVersion)), [id]);
  if (v.error) return <ErrorNote error={v.error} title="This model version could not be loaded" />;
  if (!v.data) return <Loading />;
  const m = v.data;
  const history = Array.isArray(m.history) ? m.history : [];
  const keys = [
    ...new Set(
      history.flatMap((h) => Object.keys(h).filter((k) => k !== 'epoch' && typeof h[k] === 'number')),
    ),
  ];
  const lossKeys = keys.filter((k) => /loss/i.test(k));
  const otherKeys = keys.filter((k) => !/loss/i.test(k));
  const seriesOf = (ks: string[]): Series[] =>
    ks.map((k) => ({
      name: k,
      points: history.map((h, i) => ({
        x: typeof h.epoch === 'number' ? h.epoch : i + 1,
        y: h[k] as number,
      })),
    }));
  return (
    <>
      <PageHeader title={`${m.area}/${m.name} v${m.version}`}>
        <Link to={`models?area=${m.area}`}>← Registry</Link>
      </PageHeader>
      <p>
        <Badge status={m.status} /> {m.algorithm} {m.backend && `on ${m.backend}`} ·{' '}
        {fmtBytes(m.artifactBytes)} · created {fmtDate(m.createdAt)}
        {m.activatedAt && ` · activated ${fmtDate(m.activatedAt)}`}
      </p>
      {m.trainingJobId && (
        <p>
          <Link to={`jobs?id=${m.trainingJobId}`}>The training job</Link>
        </p>
      )}
      <VersionActions v={m} onDone={v.reload} />
      <div class="grid2">
        <section>
          <h2>Training history</h2>
          {history.length ? (
            <>
              <LineChart
                title="Loss per epoch"
                xLabel="epoch"
                yLabel="loss"
                series={seriesOf(lossKeys.length ? lossKeys : keys.slice(0, 1))}
              />
              {otherKeys.length > 0 && lossKeys.length > 0 && (
                <LineChart
                  title="Other measures per epoch"
                  xLabel="epoch"
                  yLabel="value"
                  series={seriesOf(otherKeys)}
                />
              )}
            </>
          ) : (
            <p class="muted">This version has no per-epoch history.</p>
          )}
        </section>
        <section>
          <h2>Metrics</h2>
          <dl class="kv">
            {Object.entries(m.metrics ?? {}).map(([k, x]) => (
              <>
                <dt key={k}>{k}</dt>
                <dd>{typeof x === 'number' ? fmtMetric(x) : JSON.stringify(x)}</dd>
              </>
            ))}
          </dl>
          <h2>Parameters</h2>
          <Json value={m.params} />
          {(m.dataWindowStart || m.dataWindowEnd) && (
            <p>
              Data from {fmtDate(m.dataWindowStart)} to {fmtDate(m.dataWindowEnd)}
            </p>
          )}
          {m.notes && <p>{m.notes}</p>}
        </section>
      </div>
    </>
  );
}
