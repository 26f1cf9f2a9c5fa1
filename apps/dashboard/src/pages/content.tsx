import { useEffect, useState } from 'preact/hooks';
import { send } from '../api/client.js';
import { objectUrl } from '../api/files.js';
import { graphql } from '../gql/gql.js';
import type { ContentItemQuery, ContentStatus, ContentType } from '../gql/graphql.js';
import { canEdit } from '../session.js';
import type { PageProps } from '../shell.js';
import { announce } from '../ui/announce.js';
import {
  Badge,
  Button,
  Engine,
  ErrorNote,
  Field,
  fmtDate,
  Loading,
  MoreButton,
  PageHeader,
} from '../ui/components.js';
import { useAction, useAsync, useDebounced, usePaged } from '../ui/hooks.js';
import { JobLine, type JobState } from '../ui/job.js';
import { Link, navigate, setQuery } from '../ui/router.js';
import { GeneratedList, SideBySide } from './generated.js';

type Item = ContentItemQuery['contentItem'];
interface ListRow {
  id: string;
  title: string;
  type: string;
  status: string;
  language: string | null;
  category: string | null;
  publishedAt: string | null;
}

const LIST = graphql(`
  query ContentItems($first: Int!, $after: String, $filter: ContentFilter) {
    contentItems(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          title
          type
          status
          language
          category
          tags
          publishedAt
          createdAt
        }
      }
    }
  }
`);

export default function ContentPage({ params, query }: PageProps) {
  if (params[0]) return <ContentItemView id={params[0]} />;
  return <ContentList query={query} />;
}

function ContentList({ query }: { query: URLSearchParams }) {
  const [search, setSearch] = useState(query.get('q') ?? '');
  const q = useDebounced(search);
  const type = query.get('type') ?? '';
  const status = query.get('status') ?? '';
  const language = query.get('language') ?? '';
  const category = query.get('category') ?? '';
  const tag = query.get('tag') ?? '';
  const orderBy = query.get('order') ?? '';
  const [creating, setCreating] = useState(false);
  useEffect(() => setQuery({ q }), [q]);
  const filter = {
    ...(q ? { search: q } : {}),
    ...(type ? { types: [type as ContentType] } : {}),
    ...(status ? { statuses: [status as ContentStatus] } : {}),
    ...(language ? { language } : {}),
    ...(category ? { category } : {}),
    ...(tag ? { tag } : {}),
    ...(orderBy ? { orderBy } : {}),
  };
  const key = JSON.stringify(filter);
  const { items, first, more, hasMore } = usePaged(
    async (after) => (await send(LIST, { first: 25, after, filter })).contentItems,
    [key],
  );
  return (
    <>
      <PageHeader title="Content">
        {canEdit() && (
          <Button kind="primary" onClick={() => setCreating(!creating)} aria-expanded={creating}>
            New item
          </Button>
        )}
      </PageHeader>
      {creating && <CreateItem onCreated={(id) => navigate(`content/${id}`)} />}
      <form class="filters" role="search" aria-label="Filter content" onSubmit={(e) => e.preventDefault()}>
        <Field label="Search title and text">
          <input
            type="search"
            value={search}
            onInput={(e) => setSearch(e.currentTarget.value)}
            placeholder="e.g. election"
          />
        </Field>
        <Field label="Type">
          <select value={type} onChange={(e) => setQuery({ type: e.currentTarget.value })}>
            <option value="">Any</option>
            {['ARTICLE', 'VIDEO', 'AUDIO', 'IMAGE'].map((t) => (
              <option key={t} value={t}>
                {t.toLowerCase()}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Status">
          <select value={status} onChange={(e) => setQuery({ status: e.currentTarget.value })}>
            <option value="">Any</option>
            {['DRAFT', 'PUBLISHED', 'ARCHIVED'].map((t) => (
              <option key={t} value={t}>
                {t.toLowerCase()}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Language">
          <input
            size={5}
            value={language}
            onChange={(e) => setQuery({ language: e.currentTarget.value.trim() })}
            placeholder="en"
          />
        </Field>
        <Field label="Category">
          <input
            size={10}
            value={category}
            onChange={(e) => setQuery({ category: e.currentTarget.value.trim() })}
          />
        </Field>
        <Field label="Tag">
          <input size={10} value={tag} onChange={(e) => setQuery({ tag: e.currentTarget.value.trim() })} />
        </Field>
        <Field label="Order">
          <select value={orderBy} onChange={(e) => setQuery({ order: e.currentTarget.value })}>
            <option value="">Newest added</option>
            <option value="publishedAt">Newest published</option>
          </select>
        </Field>
      </form>
      <ErrorNote error={first.error} />
      {first.data !== undefined && (
        <p class="muted" role="status">
          {first.data} item{first.data === 1 ? '' : 's'}
        </p>
      )}
      {first.loading && !items.length && <Loading />}
      {items.length > 0 && (
        <div class="table-wrap">
          <table class="list stack">
            <thead>
              <tr>
                <th>Title</th>
                <th>Type</th>
                <th>Status</th>
                <th>Language</th>
                <th>Category</th>
                <th>Published</th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.id}>
                  <td>
                    <Link to={`content/${i.id}`}>{i.title}</Link>
                  </td>
                  <td data-label="Type">{i.type.toLowerCase()}</td>
                  <td data-label="Status">
                    <Badge status={i.status} />
                  </td>
                  <td data-label="Language">{i.language ?? '—'}</td>
                  <td data-label="Category">{i.category ?? '—'}</td>
                  <td data-label="Published">{fmtDate(i.publishedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ErrorNote error={more.error} />
      <MoreButton hasMore={hasMore} busy={more.busy} onMore={() => void more.run()} />
    </>
  );
}

const CREATE = graphql(`
  mutation CreateContent($input: ContentInput!) {
    createContent(input: $input) {
      id
    }
  }
`);

function CreateItem({ onCreated }: { onCreated: (id: string) => void }) {
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [language, setLanguage] = useState('en');
  const act = useAction(async () => {
    const d = await send(CREATE, { input: { title, body, ...(language ? { language } : {}) } });
    announce('Item created');
    onCreated(d.createContent.id);
  });
  return (
    <form
      class="card"
      aria-label="New content item"
      onSubmit={(e) => {
        e.preventDefault();
        void act.run();
      }}
    >
      <Field label="Title">
        <input required value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
      </Field>
      <Field label="Language" hint='ISO code such as "en" or "es"'>
        <input size={6} value={language} onInput={(e) => setLanguage(e.currentTarget.value.trim())} />
      </Field>
      <Field label="Text">
        <textarea value={body} onInput={(e) => setBody(e.currentTarget.value)} />
      </Field>
      <ErrorNote error={act.error} />
      <Button kind="primary" type="submit" busy={act.busy}>
        Create
      </Button>
    </form>
  );
}

const ITEM = graphql(`
  query ContentItem($id: ID!) {
    contentItem(id: $id) {
      id
      title
      type
      status
      language
      category
      tags
      summary
      body
      source
      url
      publishedAt
      createdAt
      updatedAt
      externalId
      original {
        id
        title
      }
      translations {
        id
        title
        language
        status
        updatedAt
      }
    }
  }
`);

const UPDATE = graphql(`
  mutation UpdateContent($id: ID!, $patch: ContentPatch!) {
    updateContent(id: $id, patch: $patch) {
      id
      title
      summary
      tags
      category
      status
      language
      updatedAt
    }
  }
`);

function ContentItemView({ id }: { id: string }) {
  const item = useAsync(() => send(ITEM, { id }).then((d) => d.contentItem), [id]);
  const [genKey, setGenKey] = useState(0);
  if (item.error) return <ErrorNote error={item.error} title="This item could not be loaded" />;
  if (!item.data) return <Loading />;
  const i = item.data;
  return (
    <>
      <PageHeader title={i.title}>
        <Link to="content">← All content</Link>
      </PageHeader>
      <p class="row">
        <Badge status={i.status} />
        <span>{i.type.toLowerCase()}</span>
        <span>language: {i.language ?? 'unknown'}</span>
        {i.category && <span>category: {i.category}</span>}
        <span class="muted">updated {fmtDate(i.updatedAt)}</span>
      </p>
      {i.original && (
        <p>
          Translation of <Link to={`content/${i.original.id}`}>{i.original.title}</Link>
        </p>
      )}
      {i.original && <BesideOriginal originalId={i.original.id} item={i} />}
      {i.tags.length > 0 && (
        <ul class="tags" aria-label="Tags">
          {i.tags.map((t) => (
            <li key={t}>{t}</li>
          ))}
        </ul>
      )}
      <div class="grid2">
        <section aria-labelledby="ai-h">
          <h2 id="ai-h">AI actions</h2>
          {canEdit() ? (
            <AiActions item={i} onGenerated={() => setGenKey((k) => k + 1)} onTranslated={item.reload} />
          ) : (
            <p class="muted">Your key can read but not run AI actions.</p>
          )}
          <h2>Generated text</h2>
          <GeneratedList contentId={i.id} reloadKey={genKey} onChanged={item.reload} />
          <h2>Translations</h2>
          <Translations item={i} />
          <Similar id={i.id} />
        </section>
        <section aria-labelledby="item-h">
          <h2 id="item-h">The item</h2>
          {i.summary && (
            <>
              <h3>Summary</h3>
              <p>{i.summary}</p>
            </>
          )}
          <details open={i.body.length < 20_000}>
            <summary>Text ({i.body.length.toLocaleString()} characters)</summary>
            <div style={{ whiteSpace: 'pre-wrap' }}>{i.body}</div>
          </details>
          {canEdit() && <EditItem key={i.updatedAt} item={i} onSaved={(n) => item.setData({ ...i, ...n })} />}
        </section>
      </div>
    </>
  );
}

function EditItem({ item, onSaved }: { item: Item; onSaved: (i: Partial<Item>) => void }) {
  const [f, setF] = useState({
    title: item.title,
    summary: item.summary ?? '',
    tags: item.tags.join(', '),
    category: item.category ?? '',
    status: item.status,
    language: item.language ?? '',
  });
  const act = useAction(async () => {
    const patch = {
      title: f.title,
      summary: f.summary || null,
      tags: f.tags
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
      category: f.category || null,
      status: f.status as ContentStatus,
      language: f.language || null,
    };
    const d = await send(UPDATE, { id: item.id, patch });
    announce('Saved');
    onSaved(d.updateContent);
  });
  const set = (k: keyof typeof f) => (e: { currentTarget: { value: string } }) =>
    setF({ ...f, [k]: e.currentTarget.value });
  return (
    <details>
      <summary>Edit title, summary, tags and status</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void act.run();
        }}
      >
        <Field label="Title">
          <input value={f.title} onInput={set('title')} required />
        </Field>
        <Field label="Summary">
          <textarea value={f.summary} onInput={set('summary')} />
        </Field>
        <Field label="Tags" hint="Separated by commas">
          <input value={f.tags} onInput={set('tags')} />
        </Field>
        <div class="row">
          <Field label="Category">
            <input value={f.category} onInput={set('category')} />
          </Field>
          <Field label="Language">
            <input size={6} value={f.language} onInput={set('language')} />
          </Field>
          <Field label="Status">
            <select value={f.status} onChange={set('status')}>
              {['DRAFT', 'PUBLISHED', 'ARCHIVED'].map((s) => (
                <option key={s} value={s}>
                  {s.toLowerCase()}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <ErrorNote error={act.error} />
        <Button kind="primary" type="submit" busy={act.busy}>
          Save
        </Button>
      </form>
    </details>
  );
}

graphql(`
  fragment Outcome on GenerationOutcome {
    items {
      id
    }
    job {
      ...JobState
    }
  }
`);

const SUMMARIZE = graphql(`
  mutation Summarize($input: GenerationInput!) {
    r: summarize(input: $input) {
      ...Outcome
    }
  }
`);
const HEADLINES = graphql(`
  mutation GenerateHeadlines($input: GenerationInput!) {
    r: generateHeadlines(input: $input) {
      ...Outcome
    }
  }
`);
const KEYWORDS = graphql(`
  mutation ExtractKeywords($input: GenerationInput!) {
    r: extractKeywords(input: $input) {
      ...Outcome
    }
  }
`);
const TAGS = graphql(`
  mutation SuggestTags($input: GenerationInput!) {
    r: suggestTags(input: $input) {
      ...Outcome
    }
  }
`);
const SOCIAL = graphql(`
  mutation GenerateSocialPosts($input: GenerationInput!) {
    r: generateSocialPosts(input: $input) {
      ...Outcome
    }
  }
`);

const GEN_ACTIONS = [
  { key: 'summary', label: 'Summarise', doc: SUMMARIZE },
  { key: 'headlines', label: 'Suggest headlines', doc: HEADLINES },
  { key: 'keywords', label: 'Extract keywords', doc: KEYWORDS },
  { key: 'tags', label: 'Suggest tags', doc: TAGS },
  { key: 'social', label: 'Write social posts', doc: SOCIAL },
] as const;

async function startGeneration(a: (typeof GEN_ACTIONS)[number], contentId: string) {
  return (await send(a.doc, { input: { contentId } })).r;
}

function AiActions({
  item,
  onGenerated,
  onTranslated,
}: {
  item: Item;
  onGenerated: () => void;
  onTranslated: () => void;
}) {
  const [jobs, setJobs] = useState<{ job: JobState; label: string; onEnd?: (j: JobState) => void }[]>([]);
  const addJob = (job: JobState, label: string, onEnd?: (j: JobState) => void) =>
    setJobs((js) => [{ job, label, onEnd }, ...js]);
  const gen = useAction(async (a: (typeof GEN_ACTIONS)[number]) => {
    const r = await startGeneration(a, item.id);
    const job = r.job;
    if (job) addJob(job, a.label, onGenerated);
    else onGenerated();
    announce(`${a.label}: ${job ? 'queued' : 'done'}`);
  });
  return (
    <div class="panel">
      <h3>Write with AI</h3>
      <div class="row">
        {GEN_ACTIONS.map((a) => (
          <Button key={a.key} onClick={() => void gen.run(a)} busy={gen.busy}>
            {a.label}
          </Button>
        ))}
      </div>
      <ErrorNote error={gen.error} />
      <Translate item={item} onJob={(j) => addJob(j, 'Translation', onTranslated)} />
      <ReadAloud item={item} onJob={addJob} />
      {jobs.length > 0 && (
        <div aria-live="polite">
          <h3>Running</h3>
          {jobs.map((j) => (
            <JobLine key={j.job.id} job={j.job} label={j.label} onEnd={j.onEnd} />
          ))}
        </div>
      )}
    </div>
  );
}

const LANGUAGES = graphql(`
  query TranslationLanguages {
    translationLanguages {
      code
      name
      asTarget
    }
  }
`);
const TRANSLATE = graphql(`
  mutation TranslateContent($id: ID!, $to: [String!]!, $review: Boolean) {
    translateContent(contentId: $id, targetLanguages: $to, review: $review) {
      ...JobState
    }
  }
`);

function Translate({ item, onJob }: { item: Item; onJob: (j: JobState) => void }) {
  const langs = useAsync(
    () =>
      send(LANGUAGES).then((d) =>
        d.translationLanguages.filter((l) => l.asTarget && l.code !== item.language),
      ),
    [item.language],
  );
  const [chosen, setChosen] = useState<string[]>([]);
  const [review, setReview] = useState(false);
  const act = useAction(async () => {
    const d = await send(TRANSLATE, { id: item.id, to: chosen, review });
    onJob(d.translateContent);
    announce(review ? 'Translation queued for review' : 'Translation queued');
  });
  return (
    <fieldset class="card">
      <legend>Translate into</legend>
      {langs.error && <ErrorNote error={langs.error} />}
      {!langs.data ? (
        <Loading />
      ) : langs.data.length === 0 ? (
        <p class="muted">No translation engine is configured for this item's language.</p>
      ) : (
        <div class="row">
          {langs.data.map((l) => (
            <label key={l.code} class="check">
              <input
                type="checkbox"
                checked={chosen.includes(l.code)}
                onChange={(e) =>
                  setChosen(
                    e.currentTarget.checked ? [...chosen, l.code] : chosen.filter((c) => c !== l.code),
                  )
                }
              />
              {l.name} ({l.code})
            </label>
          ))}
        </div>
      )}
      <label class="check">
        <input type="checkbox" checked={review} onChange={(e) => setReview(e.currentTarget.checked)} />{' '}
        Propose for review first (shown beside the original; accepting writes the linked translation)
      </label>
      <ErrorNote error={act.error} />
      <Button kind="primary" disabled={!chosen.length} busy={act.busy} onClick={() => void act.run()}>
        Translate
      </Button>
    </fieldset>
  );
}

const ORIGINAL = graphql(`
  query OriginalOfTranslation($id: ID!) {
    contentItem(id: $id) {
      id
      title
      body
      language
    }
  }
`);

/** A translated item beside the item it was translated from, on request. */
function BesideOriginal({ originalId, item }: { originalId: string; item: Item }) {
  const [open, setOpen] = useState(false);
  const original = useAsync(
    () => (open ? send(ORIGINAL, { id: originalId }).then((d) => d.contentItem) : Promise.resolve(null)),
    [open, originalId],
  );
  return (
    <section aria-label="Beside the original">
      <Button aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Hide the original' : 'Beside the original'}
      </Button>
      <ErrorNote error={original.error} />
      {open && original.data && (
        <SideBySide
          original={{
            language: original.data.language,
            title: original.data.title,
            text: original.data.body,
          }}
          translation={{ language: item.language, title: item.title, text: item.body }}
        />
      )}
    </section>
  );
}

interface Outcome {
  language: string;
  status: string;
  contentId: string | null;
  engine: string | null;
  provider: string | null;
  route: string[];
  message: string | null;
}

const TRANSLATION_JOBS = graphql(`
  query TranslationJobs($f: JobFilter) {
    jobs(first: 10, filter: $f) {
      edges {
        node {
          result
        }
      }
    }
  }
`);

function Translations({ item }: { item: Item }) {
  const outcomes = useAsync(async () => {
    const d = await send(TRANSLATION_JOBS, {
      f: { contentId: item.id, types: ['translate.content'], statuses: ['COMPLETED'] },
    });
    const m = new Map<string, Outcome>();
    for (const e of d.jobs.edges)
      for (const o of (e.node.result as { translations?: Outcome[] } | null)?.translations ?? [])
        if (!m.has(o.language)) m.set(o.language, o);
    return m;
  }, [item.id, item.translations.length, item.updatedAt]);
  if (!item.translations.length && !outcomes.data?.size) return <p class="muted">No translations yet.</p>;
  const skipped = [...(outcomes.data?.values() ?? [])].filter((o) => !o.contentId);
  return (
    <>
      <ul>
        {item.translations.map((t) => {
          const o = t.language ? outcomes.data?.get(t.language) : undefined;
          return (
            <li key={t.id}>
              <strong>{t.language}</strong>: <Link to={`content/${t.id}`}>{t.title}</Link>{' '}
              <Engine name={o?.engine ?? o?.provider} />{' '}
              {o?.route && o.route.length > 2 && <span class="muted small">via {o.route.join(' → ')}</span>}
            </li>
          );
        })}
      </ul>
      {skipped.map((o) => (
        <p key={o.language} class="muted">
          {o.language}: {o.status.toLowerCase().replace(/_/g, ' ')} {o.message && `— ${o.message}`}
        </p>
      ))}
    </>
  );
}

/** "engine/voice@version" from a synthesis result. */
export function engineOf(result: unknown): string | undefined {
  const r = (result ?? {}) as {
    engine?: string;
    voice?: string;
    identity?: { engine: string; version?: string; model?: string } | null;
  };
  if (r.identity)
    return `${r.identity.engine}${r.identity.model ? `/${r.identity.model}` : ''}${r.identity.version ? `@${r.identity.version}` : ''}`;
  return r.engine ?? r.voice;
}

/** The audio a finished synthesis job made: a path, or an asset id, in its result. */
export function audioPathOf(result: unknown): string | null {
  const r = (result ?? {}) as Record<string, unknown>;
  for (const k of ['downloadPath', 'audioPath', 'path', 'url'])
    if (typeof r[k] === 'string' && (r[k] as string).startsWith('/')) return r[k] as string;
  for (const k of ['audioAssetId', 'assetId', 'outputAssetId'])
    if (typeof r[k] === 'string') return `/v1/assets/${r[k]}/content`;
  const nested = (r.audio ?? r.asset) as Record<string, unknown> | undefined;
  return nested ? audioPathOf(nested) : null;
}

export const SYNTHESIZE = graphql(`
  mutation Synthesize($input: SynthesizeInput!) {
    synthesize(input: $input) {
      ...JobState
    }
  }
`);

function ReadAloud({
  item,
  onJob,
}: {
  item: Item;
  onJob: (j: JobState, label: string, onEnd?: (j: JobState) => void) => void;
}) {
  const [audio, setAudio] = useState<{ url: string; engine?: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const show = async (result: unknown) => {
    const path = audioPathOf(result);
    if (!path) {
      const r = (result ?? {}) as { status?: string; message?: string };
      return setError(new Error(r.message ?? `The speech job made no audio (${r.status ?? 'no result'})`));
    }
    setAudio({ url: await objectUrl(path), engine: engineOf(result) });
  };
  const act = useAction(async () => {
    setAudio(null);
    setError(null);
    const job = (await send(SYNTHESIZE, { input: { contentId: item.id } })).synthesize;
    onJob(job, 'Read aloud', (j) =>
      j.status === 'COMPLETED' ? void show(j.result).catch(setError) : undefined,
    );
  });
  return (
    <div class="card">
      <Button onClick={() => void act.run()} busy={act.busy}>
        Read aloud
      </Button>
      <ErrorNote error={act.error ?? error} />
      {audio && (
        <p>
          <audio controls src={audio.url} aria-label="Synthesized reading" /> <Engine name={audio.engine} />
        </p>
      )}
    </div>
  );
}

const SIMILAR = graphql(`
  query SimilarContent($id: ID!) {
    similarContent(contentId: $id, first: 5) {
      score
      content {
        id
        title
      }
    }
  }
`);

/** Items like this one, by the active recommender model. */
function Similar({ id }: { id: string }) {
  const list = useAsync(() => send(SIMILAR, { id }).then((d) => d.similarContent), [id]);
  return (
    <>
      <h2>Similar content</h2>
      {list.error ? (
        <ErrorNote error={list.error} />
      ) : !list.data ? (
        <Loading />
      ) : list.data.length ? (
        <ul>
          {list.data.map((r) => (
            <li key={r.content.id}>
              <Link to={`content/${r.content.id}`}>{r.content.title}</Link>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">None yet: the recommender learns from reading.</p>
      )}
    </>
  );
}
