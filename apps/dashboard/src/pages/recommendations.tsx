import { useState } from 'preact/hooks';
import { send } from '../api/client.js';
import { graphql } from '../gql/gql.js';
import type { EditorialRuleKind } from '../gql/graphql.js';
import { canEdit } from '../session.js';
import type { PageProps } from '../shell.js';
import { announce } from '../ui/announce.js';
import { Badge, Button, ErrorNote, Field, fmtDate, Loading, PageHeader } from '../ui/components.js';
import { useAction, useAsync, useDebounced } from '../ui/hooks.js';
import { Link, setQuery } from '../ui/router.js';

graphql(`
  fragment Rec on RecommendedItem {
    score
    reason
    reasonKind
    relatedContentId
    pinned
    boosted
    content {
      id
      title
      category
      publishedAt
    }
  }
`);
const RECS = graphql(`
  query Recommendations($reader: String!) {
    recommendations(readerId: $reader, first: 20) {
      coldStart
      tookMs
      modelVersion {
        algorithm
        version
      }
      items {
        ...Rec
      }
    }
  }
`);
const TRENDING = graphql(`
  query Trending {
    trending(first: 10) {
      ...Rec
    }
  }
`);
const RULES = graphql(`
  query EditorialRules {
    editorialRules(first: 100) {
      totalCount
      edges {
        node {
          id
          kind
          contentId
          position
          factor
          startsAt
          endsAt
          note
          createdAt
        }
      }
    }
  }
`);
const TITLES = graphql(`
  query ContentTitle($id: ID!) {
    contentItem(id: $id) {
      id
      title
    }
  }
`);
const FIND = graphql(`
  query FindContent($f: ContentFilter) {
    contentItems(first: 8, filter: $f) {
      edges {
        node {
          id
          title
        }
      }
    }
  }
`);
const REMOVE = graphql(`
  mutation RemoveEditorialRule($id: ID!) {
    removeEditorialRule(id: $id)
  }
`);
const PIN = graphql(`
  mutation PinContent($id: ID!, $position: Int!, $window: EditorialWindow) {
    pinContent(contentId: $id, position: $position, window: $window) {
      id
    }
  }
`);
const BOOST = graphql(`
  mutation BoostContent($id: ID!, $factor: Float!, $window: EditorialWindow) {
    boostContent(contentId: $id, factor: $factor, window: $window) {
      id
    }
  }
`);
const BLOCK = graphql(`
  mutation BlockContent($id: ID!, $window: EditorialWindow) {
    blockContent(contentId: $id, window: $window) {
      id
    }
  }
`);
const EMBARGO = graphql(`
  mutation EmbargoContent($id: ID!, $until: DateTime!) {
    embargoContent(contentId: $id, until: $until) {
      id
    }
  }
`);

const READERS = graphql(`
  query FindReaders($search: String!) {
    readers(search: $search, first: 20) {
      readerId
      events
    }
  }
`);
const HISTORY = graphql(`
  query ReaderHistory($reader: String!) {
    readerHistory(readerId: $reader, first: 20) {
      eventType
      occurredAt
      content {
        id
        title
      }
    }
  }
`);

const KINDS: EditorialRuleKind[] = ['PIN', 'BOOST', 'BLOCK', 'EMBARGO'];
/** What each rule does, in an editor's words; every rule applies to every reader. */
const RULE_WORDS: Record<EditorialRuleKind, string> = {
  PIN: 'shown to every reader at a fixed place',
  BOOST: 'ranked higher (or lower) for every reader',
  BLOCK: 'never recommended to any reader',
  EMBARGO: 'not recommended to any reader until a date',
};

interface NewRuleInput {
  contentId: string;
  kind: EditorialRuleKind;
  position?: number;
  factor?: number;
  until?: string;
  endsAt?: string;
}

async function addRule(r: NewRuleInput): Promise<void> {
  const window = r.endsAt ? { endsAt: new Date(r.endsAt).toISOString() } : undefined;
  if (r.kind === 'PIN') await send(PIN, { id: r.contentId, position: r.position ?? 1, window });
  else if (r.kind === 'BOOST') await send(BOOST, { id: r.contentId, factor: r.factor ?? 2, window });
  else if (r.kind === 'BLOCK') await send(BLOCK, { id: r.contentId, window });
  else {
    if (!r.until) throw new Error('Choose the date the item may be recommended again.');
    await send(EMBARGO, { id: r.contentId, until: new Date(r.until).toISOString() });
  }
  announce(`${r.kind.toLowerCase()} rule added: the item is ${RULE_WORDS[r.kind]}`);
}

export default function RecommendationsPage({ query }: PageProps) {
  const reader = query.get('reader') ?? '';
  const [input, setInput] = useState(reader);
  const [version, setVersion] = useState(0);
  const changed = () => setVersion((v) => v + 1);
  const search = useDebounced(input.trim());
  const found = useAsync(() => send(READERS, { search }).then((d) => d.readers), [search]);
  const recs = useAsync(
    () => (reader ? send(RECS, { reader }).then((d) => d.recommendations) : Promise.resolve(null)),
    [reader, version],
  );
  const rowAct = useAction(async (contentId: string, title: string, kind: EditorialRuleKind) => {
    await addRule({ contentId, kind, position: 1, factor: 2 });
    announce(`${title}: ${kind.toLowerCase()}ed for every reader`);
    changed();
  });
  const titleOf = new Map((recs.data?.items ?? []).map((r) => [r.content.id, r.content.title]));
  return (
    <>
      <PageHeader title="Recommendations" />
      <form
        class="filters"
        role="search"
        aria-label="Choose a reader"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery({ reader: input.trim() });
        }}
      >
        <Field label="Reader id" hint="The reader's id in your systems: type its start to find it">
          <input list="readers" value={input} onInput={(e) => setInput(e.currentTarget.value)} />
        </Field>
        <datalist id="readers">
          {found.data?.map((r) => (
            <option key={r.readerId} value={r.readerId}>
              {r.events} events
            </option>
          ))}
        </datalist>
        <Button kind="primary" type="submit">
          Show recommendations
        </Button>
      </form>
      <div class="grid2">
        <section aria-labelledby="recs-h">
          <h2 id="recs-h">{reader ? `For reader ${reader}` : 'Pick a reader'}</h2>
          {!reader && <Trending />}
          <ErrorNote error={recs.error ?? rowAct.error} />
          {reader && !recs.data && !recs.error && <Loading />}
          {recs.data && (
            <>
              <p class="muted">
                {recs.data.coldStart
                  ? 'Unknown reader or no usable history: popular and trending items. '
                  : ''}
                {recs.data.modelVersion &&
                  `Ranked by ${recs.data.modelVersion.algorithm} v${recs.data.modelVersion.version}. `}
                {`${Math.round(recs.data.tookMs)} ms.`}
              </p>
              {recs.data.items.length ? (
                <ol data-testid="recs" class="recs">
                  {recs.data.items.map((r) => (
                    <li key={r.content.id}>
                      <Link to={`content/${r.content.id}`}>{r.content.title}</Link>{' '}
                      {r.pinned && <Badge status="pinned" />} {r.boosted && <Badge status="boosted" />}
                      <div class="muted small">
                        {r.relatedContentId ? (
                          <Link to={`content/${r.relatedContentId}`}>
                            {r.reason || 'Because of an item they read'}
                          </Link>
                        ) : (
                          r.reason || 'no reason given'
                        )}
                        {` · score ${r.score.toFixed(3)}`}
                        {r.content.category && ` · ${r.content.category}`}
                      </div>
                      {canEdit() && (
                        <div class="row small-actions">
                          <Button
                            onClick={() => void rowAct.run(r.content.id, r.content.title, 'PIN')}
                            aria-label={`Pin ${r.content.title} first for every reader`}
                          >
                            Pin first
                          </Button>
                          <Button
                            onClick={() => void rowAct.run(r.content.id, r.content.title, 'BOOST')}
                            aria-label={`Boost ${r.content.title} for every reader`}
                          >
                            Boost
                          </Button>
                          <Button
                            kind="danger"
                            onClick={() => void rowAct.run(r.content.id, r.content.title, 'BLOCK')}
                            aria-label={`Block ${r.content.title} for every reader`}
                          >
                            Block
                          </Button>
                        </div>
                      )}
                    </li>
                  ))}
                </ol>
              ) : (
                <p class="muted">No recommendations for this reader.</p>
              )}
            </>
          )}
        </section>
        {reader && <History reader={reader} />}
        <section aria-labelledby="rules-h">
          <h2 id="rules-h">Editorial rules</h2>
          <p class="muted small">
            Rules apply to every reader, from when they are added until their end date.
          </p>
          <Rules version={version} titles={titleOf} onChanged={changed} />
        </section>
      </div>
    </>
  );
}

/** What the reader read, newest first: what the recommendations are made from. */
function History({ reader }: { reader: string }) {
  const h = useAsync(() => send(HISTORY, { reader }).then((d) => d.readerHistory), [reader]);
  return (
    <section aria-labelledby="hist-h">
      <h2 id="hist-h">What {reader} read</h2>
      <ErrorNote error={h.error} />
      {!h.data ? (
        <Loading />
      ) : h.data.length ? (
        <ol class="history" data-testid="history">
          {h.data.map((e, i) => (
            <li key={i}>
              <Link to={`content/${e.content.id}`}>{e.content.title}</Link>{' '}
              <span class="muted small">
                {e.eventType} · {fmtDate(e.occurredAt)}
              </span>
            </li>
          ))}
        </ol>
      ) : (
        <p class="muted">No reading stored for this reader: they get popular and trending items.</p>
      )}
    </section>
  );
}

function Rules({
  version,
  titles: known,
  onChanged,
}: {
  version: number;
  titles: Map<string, string>;
  onChanged: () => void;
}) {
  const rules = useAsync(async () => {
    const list = (await send(RULES)).editorialRules.edges.map((e) => e.node);
    // Rules carry the item's id: fetch the titles not already on the page (of the first 30 items).
    const ids = [...new Set(list.map((r) => r.contentId))].filter((id) => !known.has(id)).slice(0, 30);
    const titles = new Map(known);
    await Promise.all(
      ids.map((id) =>
        send(TITLES, { id }).then(
          (d) => void titles.set(id, d.contentItem.title),
          () => undefined,
        ),
      ),
    );
    return list.map((r) => ({ ...r, title: titles.get(r.contentId) ?? r.contentId }));
  }, [version]);
  const del = useAction(async (id: string) => {
    await send(REMOVE, { id });
    announce('Rule removed');
    onChanged();
  });
  return (
    <>
      {canEdit() && <NewRule onCreated={onChanged} />}
      <ErrorNote error={rules.error ?? del.error} />
      {rules.data && rules.data.length > 0 && (
        <div class="table-wrap">
          <table class="list stack" data-testid="rules">
            <thead>
              <tr>
                <th>Rule</th>
                <th>Item</th>
                <th>Applies to</th>
                <th>Ends</th>
                <th>
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rules.data.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Badge status={r.kind} />
                    {r.position != null && ` at position ${r.position}`}
                    {r.factor != null && ` ×${r.factor}`}
                  </td>
                  <td data-label="Item">
                    <Link to={`content/${r.contentId}`}>{r.title}</Link>
                    {r.note && <div class="muted small">{r.note}</div>}
                  </td>
                  <td data-label="Applies to">All readers</td>
                  <td data-label="Ends">{r.endsAt ? fmtDate(r.endsAt) : 'No end date'}</td>
                  <td data-label="Actions">
                    {canEdit() && (
                      <Button
                        kind="danger"
                        onClick={() => void del.run(r.id)}
                        aria-label={`Remove ${r.kind.toLowerCase()} rule on ${r.title}`}
                      >
                        Remove
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rules.data && !rules.data.length && <p class="muted">No rules: recommendations are the model's.</p>}
    </>
  );
}

function NewRule({ onCreated }: { onCreated: () => void }) {
  const [search, setSearch] = useState('');
  const q = useDebounced(search);
  const [contentId, setContentId] = useState('');
  const [kind, setKind] = useState<EditorialRuleKind>('PIN');
  const [position, setPosition] = useState('1');
  const [factor, setFactor] = useState('2');
  const [until, setUntil] = useState('');
  const [endsAt, setEndsAt] = useState('');
  const found = useAsync(
    () =>
      q.length >= 2
        ? send(FIND, { f: { search: q } }).then((d) => d.contentItems.edges.map((e) => e.node))
        : Promise.resolve([]),
    [q],
  );
  const act = useAction(async () => {
    await addRule({
      contentId,
      kind,
      position: Number(position),
      factor: Number(factor),
      until,
      endsAt: kind === 'EMBARGO' ? undefined : endsAt || undefined,
    });
    onCreated();
  });
  return (
    <form
      class="card"
      aria-label="New editorial rule"
      onSubmit={(e) => {
        e.preventDefault();
        void act.run();
      }}
    >
      <Field label="Find the item">
        <input
          type="search"
          value={search}
          onInput={(e) => setSearch(e.currentTarget.value)}
          placeholder="words from the title"
        />
      </Field>
      {found.data && found.data.length > 0 && (
        <Field label="Item">
          <select value={contentId} onChange={(e) => setContentId(e.currentTarget.value)} required>
            <option value="">Choose…</option>
            {found.data.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </select>
        </Field>
      )}
      <div class="row">
        <Field label="Rule" hint={RULE_WORDS[kind]}>
          <select value={kind} onChange={(e) => setKind(e.currentTarget.value as EditorialRuleKind)}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {k.toLowerCase()}
              </option>
            ))}
          </select>
        </Field>
        {kind === 'PIN' && (
          <Field label="Position">
            <input
              type="number"
              min={1}
              value={position}
              onInput={(e) => setPosition(e.currentTarget.value)}
            />
          </Field>
        )}
        {kind === 'BOOST' && (
          <Field label="Factor" hint="Above 1 raises, below 1 lowers">
            <input
              type="number"
              step="0.1"
              min={0}
              value={factor}
              onInput={(e) => setFactor(e.currentTarget.value)}
            />
          </Field>
        )}
        {kind === 'EMBARGO' ? (
          <Field label="Hidden until">
            <input
              type="datetime-local"
              required
              value={until}
              onInput={(e) => setUntil(e.currentTarget.value)}
            />
          </Field>
        ) : (
          <Field label="Ends" hint="Empty: until removed">
            <input type="datetime-local" value={endsAt} onInput={(e) => setEndsAt(e.currentTarget.value)} />
          </Field>
        )}
      </div>
      <ErrorNote error={act.error} />
      <Button kind="primary" type="submit" busy={act.busy} disabled={!contentId}>
        Add rule
      </Button>
    </form>
  );
}

function Trending() {
  const t = useAsync(() => send(TRENDING).then((d) => d.trending), []);
  if (!t.data?.length) return <ErrorNote error={t.error} />;
  return (
    <>
      <h3>Trending now</h3>
      <ol>
        {t.data.map((r) => (
          <li key={r.content.id}>
            <Link to={`content/${r.content.id}`}>{r.content.title}</Link>{' '}
            <span class="muted small">{r.reason}</span>
          </li>
        ))}
      </ol>
    </>
  );
}
