import { useState } from 'preact/hooks';
import { send } from '../api/client.js';
import { graphql } from '../gql/gql.js';
import type { ExperimentFragment } from '../gql/graphql.js';
import { canEdit, isAdmin } from '../session.js';
import { announce } from '../ui/announce.js';
import { Badge, Button, ErrorNote, Field, fmtDate, Loading } from '../ui/components.js';
import { useAction, useAsync } from '../ui/hooks.js';

type Experiment = ExperimentFragment;

graphql(`
  fragment Experiment on RecommenderExperiment {
    id
    name
    status
    trafficShare
    startedAt
    endedAt
    arms {
      arm
      requests
      impressions
      clicks
      ctr
      ctrLow
      ctrHigh
      modelVersion {
        id
        version
        algorithm
        status
      }
    }
    comparison {
      difference
      low
      high
      relativeLift
      verdict
    }
  }
`);
const EXPERIMENTS = graphql(`
  query RecommenderExperiments {
    recommenderExperiments {
      ...Experiment
    }
  }
`);
const SET_TRAFFIC = graphql(`
  mutation SetExperimentTraffic($id: ID!, $s: Float!) {
    setRecommenderExperimentTraffic(id: $id, trafficShare: $s) {
      id
    }
  }
`);
const STOP = graphql(`
  mutation StopExperiment($id: ID!) {
    stopRecommenderExperiment(id: $id) {
      id
    }
  }
`);
const PROMOTE = graphql(`
  mutation PromoteExperiment($id: ID!) {
    promoteRecommenderExperiment(id: $id) {
      id
    }
  }
`);
const CANDIDATES = graphql(`
  query ExperimentCandidates {
    modelVersions(first: 100, filter: { area: "recommender", statuses: [CANDIDATE, RETIRED] }) {
      edges {
        node {
          id
          version
          algorithm
          status
        }
      }
    }
  }
`);
const START = graphql(`
  mutation StartExperiment($i: StartExperimentInput!) {
    startRecommenderExperiment(input: $i) {
      id
    }
  }
`);

const VERDICT: Record<string, string> = {
  'too-early': 'Too early to tell: each arm needs at least 200 impressions',
  'candidate-better': 'The candidate gets more clicks per impression (95% interval above zero)',
  'control-better': 'The active version gets more clicks per impression (95% interval below zero)',
  'no-clear-difference': 'No clear difference yet: the 95% interval includes zero',
};

const pct = (x: number, digits = 2) => `${(x * 100).toFixed(digits)}%`;
const points = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)} pts`;

/** Online tests of recommender versions: who is served by what, and what readers did. */
export function Experiments() {
  const list = useAsync(() => send(EXPERIMENTS).then((d) => d.recommenderExperiments), []);
  const running = list.data?.find((e) => e.status === 'RUNNING');
  const ended = list.data?.filter((e) => e.status !== 'RUNNING') ?? [];
  return (
    <section class="card" aria-label="Recommender experiments">
      <h2>Experiments</h2>
      <p class="muted small">
        A candidate version serves a share of readers (chosen by a stable hash of their id, so each reader
        always sees the same version); the active version serves the rest. Clicks on a shown item within 24
        hours count for the version that showed it.
      </p>
      <ErrorNote error={list.error} />
      {!list.data ? (
        <Loading />
      ) : running ? (
        <ExperimentView e={running} onChange={list.reload} />
      ) : (
        canEdit() && <StartExperiment onStarted={list.reload} />
      )}
      {ended.length > 0 && (
        <details>
          <summary>Earlier experiments ({ended.length})</summary>
          {ended.map((e) => (
            <ExperimentView key={e.id} e={e} onChange={list.reload} />
          ))}
        </details>
      )}
    </section>
  );
}

function ExperimentView({ e, onChange }: { e: Experiment; onChange: () => void }) {
  const [share, setShare] = useState(String(Math.round(e.trafficShare * 100)));
  const act = useAction(async (what: 'traffic' | 'stop' | 'promote') => {
    if (what === 'traffic') {
      const value = Number(share) / 100;
      await send(SET_TRAFFIC, { id: e.id, s: value });
      announce(`The candidate now serves ${share}% of readers`);
    } else if (what === 'stop') {
      await send(STOP, { id: e.id });
      announce('Experiment stopped: every reader gets the active version');
    } else {
      await send(PROMOTE, { id: e.id });
      announce('Candidate promoted: it is now the active version for every reader');
    }
    onChange();
  });
  const c = e.comparison;
  return (
    <div class="experiment" data-testid={`experiment-${e.status.toLowerCase()}`}>
      <h3>
        {e.name} <Badge status={e.status} />
      </h3>
      <p class="muted small">
        Started {fmtDate(e.startedAt)}
        {e.endedAt ? `, ended ${fmtDate(e.endedAt)}` : ''}; candidate traffic {pct(e.trafficShare, 0)}
      </p>
      <div class="table-wrap">
        <table class="list stack">
          <thead>
            <tr>
              <th>Arm</th>
              <th>Version</th>
              <th>Lists served</th>
              <th>Impressions</th>
              <th>Clicks</th>
              <th>Clicks per impression (95% interval)</th>
            </tr>
          </thead>
          <tbody>
            {e.arms.map((a) => (
              <tr key={a.arm}>
                <td>{a.arm === 'control' ? 'Active (control)' : 'Candidate'}</td>
                <td data-label="Version">
                  v{a.modelVersion.version} {a.modelVersion.algorithm}
                </td>
                <td data-label="Lists served">{a.requests}</td>
                <td data-label="Impressions">{a.impressions}</td>
                <td data-label="Clicks">{a.clicks}</td>
                <td data-label="Clicks per impression">
                  {pct(a.ctr)} ({pct(a.ctrLow)} – {pct(a.ctrHigh)})
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p role="status" data-testid="verdict">
        <strong>{VERDICT[c.verdict] ?? c.verdict}.</strong> Difference {points(c.difference)} (95% interval{' '}
        {points(c.low)} to {points(c.high)})
        {c.relativeLift !== null
          ? `, ${c.relativeLift >= 0 ? '+' : ''}${(c.relativeLift * 100).toFixed(1)}% relative`
          : ''}
        .
      </p>
      {e.status === 'RUNNING' && canEdit() && (
        <form class="filters" onSubmit={(ev) => (ev.preventDefault(), void act.run('traffic'))}>
          <Field label="Candidate traffic (%)">
            <input
              type="number"
              min={1}
              max={99}
              value={share}
              onInput={(ev) => setShare(ev.currentTarget.value)}
            />
          </Field>
          <Button type="submit" busy={act.busy}>
            Set traffic
          </Button>
          <Button kind="danger" busy={act.busy} onClick={() => void act.run('stop')}>
            Stop
          </Button>
          {isAdmin() && (
            <Button kind="primary" busy={act.busy} onClick={() => void act.run('promote')}>
              Promote candidate
            </Button>
          )}
        </form>
      )}
      <ErrorNote error={act.error} />
    </div>
  );
}

function StartExperiment({ onStarted }: { onStarted: () => void }) {
  const versions = useAsync(() => send(CANDIDATES).then((d) => d.modelVersions.edges.map((x) => x.node)), []);
  const [candidate, setCandidate] = useState('');
  const [share, setShare] = useState('10');
  const start = useAction(async () => {
    await send(START, { i: { candidateVersionId: candidate, trafficShare: Number(share) / 100 } });
    announce(`Experiment started: ${share}% of readers get the candidate`);
    onStarted();
  });
  const options = versions.data ?? [];
  if (versions.data && !options.length)
    return (
      <p class="muted">
        No candidate versions to test: train a model; one that does not beat the active version is kept as a
        candidate.
      </p>
    );
  return (
    <form
      class="filters"
      aria-label="Start an experiment"
      onSubmit={(e) => (e.preventDefault(), void start.run())}
    >
      <Field label="Candidate version">
        <select value={candidate} onChange={(e) => setCandidate(e.currentTarget.value)} required>
          <option value="">Choose…</option>
          {options.map((v) => (
            <option key={v.id} value={v.id}>
              v{v.version} {v.algorithm} ({v.status.toLowerCase()})
            </option>
          ))}
        </select>
      </Field>
      <Field label="Readers on the candidate (%)">
        <input
          type="number"
          min={1}
          max={99}
          value={share}
          onInput={(e) => setShare(e.currentTarget.value)}
        />
      </Field>
      <Button type="submit" kind="primary" busy={start.busy} disabled={!candidate}>
        Start experiment
      </Button>
      <ErrorNote error={start.error} />
    </form>
  );
}
