import { useState } from 'preact/hooks';
import { send } from '../api/client.js';
import { graphql } from '../gql/gql.js';
import type { ApiClientRowFragment, Role } from '../gql/graphql.js';
import { isAdmin, me } from '../session.js';
import type { PageProps } from '../shell.js';
import { announce } from '../ui/announce.js';
import { Badge, Button, ErrorNote, Field, fmtDate, Loading, PageHeader } from '../ui/components.js';
import { useAction, useAsync } from '../ui/hooks.js';

type Client = ApiClientRowFragment;

graphql(`
  fragment ApiClientRow on ApiClient {
    id
    name
    role
    keyPrefix
    webhookUrl
    rateLimitPerMinute
    createdAt
    lastUsedAt
    revokedAt
  }
`);
const KEYS = graphql(`
  query ApiClients {
    apiClients {
      ...ApiClientRow
    }
  }
`);
const CREATE_KEY = graphql(`
  mutation CreateApiKey($input: ApiKeyInput!) {
    createApiKey(input: $input) {
      key
      webhookSecret
      client {
        id
        name
      }
    }
  }
`);
const REVOKE_KEY = graphql(`
  mutation RevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) {
      id
    }
  }
`);
const QUOTAS = graphql(`
  mutation SetNewsroomQuotas($o: Int!, $d: Int!) {
    setNewsroomQuotas(maxOpenJobs: $o, maxJobsPerDay: $d) {
      id
    }
  }
`);
const QUEUES = graphql(`
  query JobQueues {
    jobTypes {
      queue
    }
  }
`);
const QUEUE_COUNTS = graphql(`
  query QueueCounts($q: String) {
    QUEUED: jobs(first: 1, filter: { queue: $q, statuses: [QUEUED] }) {
      totalCount
    }
    ACTIVE: jobs(first: 1, filter: { queue: $q, statuses: [ACTIVE] }) {
      totalCount
    }
    FAILED: jobs(first: 1, filter: { queue: $q, statuses: [FAILED] }) {
      totalCount
    }
    COMPLETED: jobs(first: 1, filter: { queue: $q, statuses: [COMPLETED] }) {
      totalCount
    }
  }
`);
const HEALTH = graphql(`
  query Health {
    health {
      database
      redis
      version
    }
  }
`);
const PAIRS = graphql(`
  query TranslationPairs {
    translationPairs {
      from
      to
      provider
      engine
      pivot
    }
  }
`);
const ACTIVE_MODELS = graphql(`
  query ActiveModels {
    modelVersions(first: 100, filter: { statuses: [ACTIVE] }) {
      edges {
        node {
          area
          name
          version
          algorithm
          backend
        }
      }
    }
  }
`);
const GENERATION = graphql(`
  query GenerationEngines {
    generationEngines {
      llmModel
      maxSyncChars
      localEngineVersion
    }
    llmUsage {
      calls
      totalTokens
      costUsd
    }
  }
`);
const SPEECH = graphql(`
  query SpeechVoiceSummary {
    speechVoices {
      engine
      engineVersion
      voices {
        id
      }
      languages
    }
  }
`);

export default function AdminPage(_: PageProps) {
  return (
    <>
      <PageHeader title="Admin" />
      {!isAdmin() && (
        <p class="notice">
          Your key has the {me?.role.toLowerCase()} role: API keys and quotas need an admin key. Queue and
          provider status follow.
        </p>
      )}
      <div class="grid2">
        <div>{isAdmin() && <Keys />}</div>
        <div>
          <Queues />
          <Providers />
        </div>
      </div>
    </>
  );
}

function Keys() {
  const keys = useAsync(() => send(KEYS).then((d) => d.apiClients), []);
  const [created, setCreated] = useState<{ key: string; webhookSecret: string; name: string } | null>(null);
  const [name, setName] = useState('');
  const [role, setRole] = useState('EDITOR');
  const [webhookUrl, setWebhookUrl] = useState('');
  const create = useAction(async () => {
    const d = await send(CREATE_KEY, { input: { name, role: role as Role, webhookUrl: webhookUrl || null } });
    setCreated({ key: d.createApiKey.key, webhookSecret: d.createApiKey.webhookSecret, name });
    setName('');
    keys.reload();
  });
  const revoke = useAction(async (c: Client) => {
    if (!confirm(`Revoke the key "${c.name}"? Apps using it stop working at once.`)) return;
    await send(REVOKE_KEY, { id: c.id });
    announce('Key revoked');
    keys.reload();
  });
  return (
    <section aria-labelledby="keys-h">
      <h2 id="keys-h">API keys</h2>
      <form
        class="card"
        aria-label="New API key"
        onSubmit={(e) => {
          e.preventDefault();
          void create.run();
        }}
      >
        <div class="row">
          <Field label="Name" hint="Who or what uses it, e.g. CMS">
            <input required value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </Field>
          <Field label="Role">
            <select value={role} onChange={(e) => setRole(e.currentTarget.value)}>
              <option value="EDITOR">editor</option>
              <option value="APP">app (product apps)</option>
              <option value="ADMIN">admin</option>
            </select>
          </Field>
        </div>
        <Field label="Webhook URL (optional)" hint="Called, signed, when a job of this key ends">
          <input type="url" value={webhookUrl} onInput={(e) => setWebhookUrl(e.currentTarget.value)} />
        </Field>
        <ErrorNote error={create.error} />
        <Button kind="primary" type="submit" busy={create.busy}>
          Create key
        </Button>
      </form>
      {created && (
        <div class="secret" role="alert">
          <p>
            <strong>The key for {created.name}, shown only now:</strong> copy it to where it is used.
          </p>
          <p>
            <code data-testid="new-key">{created.key}</code>
          </p>
          <p class="small">
            Webhook signing secret: <code>{created.webhookSecret}</code>
          </p>
          <Button
            onClick={() =>
              void navigator.clipboard?.writeText(created.key).then(() => announce('Key copied'))
            }
          >
            Copy key
          </Button>{' '}
          <Button onClick={() => setCreated(null)}>Done</Button>
        </div>
      )}
      <ErrorNote error={keys.error ?? revoke.error} />
      {!keys.data ? (
        <Loading />
      ) : (
        <div class="table-wrap">
          <table class="list stack">
            <thead>
              <tr>
                <th>Name</th>
                <th>Role</th>
                <th>Key starts</th>
                <th>Last used</th>
                <th>Actions</th>
              </tr>
            </thead>
            <tbody>
              {keys.data.map((c) => (
                <tr key={c.id}>
                  <td>
                    {c.name}
                    {c.webhookUrl && <div class="muted small">webhook {c.webhookUrl}</div>}
                  </td>
                  <td data-label="Role">{c.role.toLowerCase()}</td>
                  <td data-label="Key starts">
                    <code>mai_{c.keyPrefix}_…</code>
                  </td>
                  <td data-label="Last used">{fmtDate(c.lastUsedAt)}</td>
                  <td data-label="Actions">
                    {c.revokedAt ? (
                      <Badge status="revoked" />
                    ) : c.id === me?.clientId ? (
                      <span class="muted">this key</span>
                    ) : (
                      <Button
                        kind="danger"
                        onClick={() => void revoke.run(c)}
                        aria-label={`Revoke ${c.name}`}
                      >
                        Revoke
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Quotas />
    </section>
  );
}

function Quotas() {
  const [open, setOpen] = useState(String(me?.newsroom.maxOpenJobs ?? ''));
  const [day, setDay] = useState(String(me?.newsroom.maxJobsPerDay ?? ''));
  const act = useAction(async () => {
    await send(QUOTAS, { o: Number(open), d: Number(day) });
    if (me) me.newsroom = { ...me.newsroom, maxOpenJobs: Number(open), maxJobsPerDay: Number(day) };
    announce('Quotas saved');
  });
  return (
    <form
      class="card"
      aria-label="Job quotas"
      onSubmit={(e) => {
        e.preventDefault();
        void act.run();
      }}
    >
      <h3>Job quotas of {me?.newsroom.name}</h3>
      <div class="row">
        <Field label="Open jobs at once">
          <input type="number" min={1} value={open} onInput={(e) => setOpen(e.currentTarget.value)} />
        </Field>
        <Field label="Jobs per day">
          <input type="number" min={1} value={day} onInput={(e) => setDay(e.currentTarget.value)} />
        </Field>
      </div>
      <ErrorNote error={act.error} />
      <Button type="submit" busy={act.busy}>
        Save quotas
      </Button>
    </form>
  );
}

const STATUSES = ['QUEUED', 'ACTIVE', 'FAILED', 'COMPLETED'] as const;

function Queues() {
  const counts = useAsync(async () => {
    const types = (await send(QUEUES)).jobTypes;
    const queues = [...new Set(types.map((t) => t.queue))].sort();
    // One request per queue: each counts its jobs by status with aliases.
    const rows = await Promise.all(
      queues.map(async (queue) => {
        const d = await send(QUEUE_COUNTS, { q: queue });
        return { queue, ...Object.fromEntries(STATUSES.map((s) => [s, d[s].totalCount])) } as {
          queue: string;
        } & Record<(typeof STATUSES)[number], number>;
      }),
    );
    return rows;
  }, []);
  return (
    <section aria-labelledby="q-h">
      <h2 id="q-h">Queues</h2>
      <p>
        Jobs of this newsroom per queue.{' '}
        {isAdmin() && (
          <>
            The platform's queue board is at{' '}
            <a href="/admin/queues" target="_blank" rel="noopener">
              /admin/queues
            </a>{' '}
            (your browser asks for a password: give any user name and your admin key).
          </>
        )}
      </p>
      <ErrorNote error={counts.error} />
      {!counts.data ? (
        <Loading />
      ) : (
        <div class="table-wrap">
          <table class="list" data-testid="queues">
            <thead>
              <tr>
                <th>Queue</th>
                {STATUSES.map((s) => (
                  <th key={s}>{s.toLowerCase()}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {counts.data.map((r) => (
                <tr key={r.queue}>
                  <td>
                    <a href={`${import.meta.env.BASE_URL}jobs?queue=${r.queue}`}>{r.queue}</a>
                  </td>
                  {STATUSES.map((s) => (
                    <td key={s}>
                      {s === 'FAILED' && r[s] > 0 ? (
                        <a href={`${import.meta.env.BASE_URL}jobs?queue=${r.queue}&status=FAILED`}>{r[s]}</a>
                      ) : (
                        r[s]
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Providers() {
  const info = useAsync(async () => {
    const [health, pairs, active, generation, speech] = await Promise.all([
      send(HEALTH).then((d) => d.health),
      send(PAIRS).then((d) => d.translationPairs),
      send(ACTIVE_MODELS).then((d) => d.modelVersions.edges.map((e) => e.node)),
      send(GENERATION),
      send(SPEECH).then((d) => d.speechVoices),
    ]);
    return {
      health,
      pairs,
      active,
      generation: generation.generationEngines,
      usage: generation.llmUsage,
      speech,
    };
  }, []);
  const providers = new Map<string, { engine: string; pairs: number }>();
  for (const p of info.data?.pairs ?? []) {
    const x = providers.get(p.provider) ?? { engine: p.engine, pairs: 0 };
    x.pairs++;
    providers.set(p.provider, x);
  }
  return (
    <section aria-labelledby="prov-h">
      <h2 id="prov-h">Providers and settings</h2>
      <p class="muted">
        What this server reports as configured (read-only; engines are set by the platform's environment).
      </p>
      <ErrorNote error={info.error} />
      {!info.data ? (
        <Loading />
      ) : (
        <dl class="kv">
          {info.data.health && (
            <>
              <dt>Platform</dt>
              <dd>
                version {info.data.health.version} · database {info.data.health.database ? 'up' : 'DOWN'} ·
                Redis {info.data.health.redis ? 'up' : 'DOWN'}
              </dd>
            </>
          )}
          <dt>Translation</dt>
          <dd>
            {providers.size
              ? [...providers.entries()]
                  .map(([p, x]) => `${p} (${x.engine}, ${x.pairs} language pairs)`)
                  .join('; ')
              : 'no provider configured'}
          </dd>
          <dt>Text generation</dt>
          <dd>
            {`${info.data.generation.llmModel ? `LLM ${info.data.generation.llmModel}` : 'no LLM configured (local engines only)'}; local engines ${info.data.generation.localEngineVersion}; texts over ${info.data.generation.maxSyncChars.toLocaleString()} characters run as jobs`}
            {info.data.usage &&
              ` · LLM use, last 30 days: ${info.data.usage.calls} calls, ${info.data.usage.totalTokens.toLocaleString()} tokens, $${info.data.usage.costUsd.toFixed(2)}`}
          </dd>
          <dt>Speech synthesis</dt>
          <dd>
            {`${info.data.speech.engine} ${info.data.speech.engineVersion}: ${info.data.speech.voices.length} voices in ${info.data.speech.languages.length} languages (${info.data.speech.languages.slice(0, 8).join(', ')}${info.data.speech.languages.length > 8 ? ' …' : ''})`}
          </dd>
          <dt>Active models</dt>
          <dd>
            {info.data.active.length
              ? info.data.active
                  .map(
                    (m) =>
                      `${m.area}/${m.name} v${m.version} (${m.algorithm}${m.backend ? `, ${m.backend}` : ''})`,
                  )
                  .join('; ')
              : 'none trained yet'}
          </dd>
        </dl>
      )}
    </section>
  );
}
