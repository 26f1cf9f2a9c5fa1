import { useEffect, useRef, useState } from 'preact/hooks';
import { send } from '../api/client.js';
import { graphql } from '../gql/gql.js';
import type {
  GeneratedItemFilter,
  GeneratedItemStatus,
  GeneratedKind,
  ReviewDecision,
} from '../gql/graphql.js';
import { canEdit } from '../session.js';
import type { PageProps } from '../shell.js';
import { announce } from '../ui/announce.js';
import {
  AuthImage,
  Badge,
  Button,
  Engine,
  ErrorNote,
  Field,
  fmtDate,
  GenerationNotes,
  Loading,
  PageHeader,
} from '../ui/components.js';
import { Diff } from '../ui/diff.js';
import { useAction, useAsync, useDebounced } from '../ui/hooks.js';
import { Link, setQuery } from '../ui/router.js';
import {
  acceptLabel,
  decide,
  decideMany,
  listGenerated,
  TranslationBeside,
  undo,
  type Generated,
} from './generated.js';

/*
 * Review at newsroom volume: generated text filtered by kind, engine, flag and article, a page at a time
 * with the count, decided one by one (with the keyboard) or in bulk; each text beside its article, an
 * editor's version shown as a diff of the model's. Images flagged by moderation follow.
 */

const PAGE = 25;
const KINDS: GeneratedKind[] = [
  'SUMMARY',
  'HEADLINE',
  'KEYWORDS',
  'TAGS',
  'ENTITIES',
  'SOCIAL_POST',
  'DRAFT',
  'TRANSLATION',
];
const STATUSES: GeneratedItemStatus[] = ['PENDING', 'ACCEPTED', 'EDITED', 'REJECTED'];
const kindWords = (k: string) => k.toLowerCase().replace(/_/g, ' ');

const ARTICLE = graphql(`
  query ReviewArticle($id: ID!) {
    contentItem(id: $id) {
      id
      title
      summary
      tags
      body
      language
    }
  }
`);
const FIND_ARTICLE = graphql(`
  query ReviewFindArticle($q: String!) {
    contentItems(first: 8, filter: { search: $q }) {
      edges {
        node {
          id
          title
        }
      }
    }
  }
`);

export default function ReviewPage({ query }: PageProps) {
  return (
    <>
      <PageHeader title="Review" />
      {!canEdit() && <p class="muted">Reviewing needs an editor or admin key.</p>}
      <section aria-labelledby="gen-h">
        <h2 id="gen-h">Generated text</h2>
        <GeneratedQueue query={query} />
      </section>
      <section aria-labelledby="mod-h">
        <h2 id="mod-h">Images flagged by moderation</h2>
        <Moderation />
      </section>
    </>
  );
}

function GeneratedQueue({ query }: { query: URLSearchParams }) {
  const status = (query.get('status') ?? 'PENDING') as GeneratedItemStatus | 'ALL';
  const kind = (query.get('kind') ?? '') as GeneratedKind | '';
  const flagged = query.get('flagged') === '1';
  const article = query.get('article') ?? '';
  const [engineText, setEngineText] = useState(query.get('engine') ?? '');
  const engine = useDebounced(engineText.trim());
  useEffect(() => setQuery({ engine }), [engine]);
  const filter: GeneratedItemFilter = {
    ...(status !== 'ALL' ? { status: [status] } : {}),
    ...(kind ? { kind: [kind] } : {}),
    ...(engine ? { engine } : {}),
    ...(flagged ? { flagged: true } : {}),
    ...(article ? { contentId: article } : {}),
  };
  const key = JSON.stringify(filter);
  // Pages by cursor: the cursors of the pages before this one.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  useEffect(() => setCursors([null]), [key]);
  const after = cursors[cursors.length - 1];
  const [version, setVersion] = useState(0);
  const list = useAsync(() => listGenerated(filter, PAGE, after), [key, after, version]);
  const items = list.data?.edges.map((e) => e.node) ?? [];
  const [selected, setSelected] = useState<Set<string>>(new Set());
  useEffect(() => setSelected(new Set()), [key, after]);
  const [focus, setFocus] = useState(0);
  const [decided, setDecided] = useState<Map<string, Generated>>(new Map());
  useEffect(() => setDecided(new Map()), [key, after, version]);
  const shown = items.map((g) => decided.get(g.id) ?? g);
  const refs = useRef<(HTMLElement | null)[]>([]);

  // Only waiting texts can be decided: the bulk buttons count and send those.
  const chosen = shown.filter((g) => selected.has(g.id) && g.status === 'PENDING');
  const [undecided, setUndecided] = useState<string | null>(null);
  const bulk = useAction(async (decision: ReviewDecision) => {
    setUndecided(null);
    // One request for the whole selection (reviewGeneratedItems); each text is decided on its own.
    const r = await decideMany(
      chosen.map((g) => g.id),
      decision,
    );
    setDecided((m) => {
      const next = new Map(m);
      for (const g of r.decided) next.set(g.id, g);
      return next;
    });
    announce(`${r.decided.length} ${decision === 'ACCEPT' ? 'accepted' : 'rejected'}`);
    setSelected(new Set());
    // The others went ahead; say which could not be decided and why.
    if (r.failed.length)
      setUndecided(
        `${r.failed.length} of ${r.failed.length + r.decided.length} could not be decided: ${[...new Set(r.failed.map((f) => f.error))].join('; ')}`,
      );
  });

  const first = cursors.length === 1;
  const from = (cursors.length - 1) * PAGE + 1;
  const total = list.data?.totalCount ?? 0;
  const allSelected = shown.length > 0 && shown.every((g) => selected.has(g.id));
  const toggle = (id: string) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  const move = (i: number) => {
    const n = Math.max(0, Math.min(shown.length - 1, i));
    setFocus(n);
    refs.current[n]?.focus();
  };

  return (
    <>
      <form
        class="filters"
        role="search"
        aria-label="Filter generated text"
        onSubmit={(e) => e.preventDefault()}
      >
        <Field label="Status">
          <select value={status} onChange={(e) => setQuery({ status: e.currentTarget.value })}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s === 'PENDING' ? 'waiting' : s.toLowerCase()}
              </option>
            ))}
            <option value="ALL">any</option>
          </select>
        </Field>
        <Field label="Kind">
          <select value={kind} onChange={(e) => setQuery({ kind: e.currentTarget.value })}>
            <option value="">Any</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {kindWords(k)}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Engine">
          <input
            type="search"
            size={12}
            value={engineText}
            onInput={(e) => setEngineText(e.currentTarget.value)}
            placeholder="e.g. textrank"
          />
        </Field>
        <label class="check">
          <input
            type="checkbox"
            checked={flagged}
            onChange={(e) => setQuery({ flagged: e.currentTarget.checked ? '1' : null })}
          />{' '}
          Flagged by guardrails
        </label>
        <ArticleFilter id={article} />
      </form>
      <ErrorNote error={list.error} />
      {list.data && (
        <p class="muted" role="status" data-testid="review-count">
          {total === 0
            ? 'Nothing matches.'
            : `${from}–${from + items.length - 1} of ${total} ${status === 'PENDING' ? 'waiting' : ''}`}
        </p>
      )}
      {list.loading && !list.data && <Loading />}
      {canEdit() && shown.length > 0 && (
        <div class="row bulk" role="group" aria-label="Act on the selected texts">
          <label class="check">
            <input
              type="checkbox"
              checked={allSelected}
              onChange={() => setSelected(allSelected ? new Set() : new Set(shown.map((g) => g.id)))}
            />{' '}
            Select all on this page
          </label>
          <Button
            kind="primary"
            disabled={!chosen.length}
            busy={bulk.busy}
            onClick={() => void bulk.run('ACCEPT')}
          >
            Accept {chosen.length || ''} selected
          </Button>
          <Button
            kind="danger"
            disabled={!chosen.length}
            busy={bulk.busy}
            onClick={() => void bulk.run('REJECT')}
          >
            Reject {chosen.length || ''} selected
          </Button>
          <span class="muted small" id="review-keys">
            Keys: j/k next/previous, a accept, r reject, e edit, x select, o the article beside it
          </span>
        </div>
      )}
      <ErrorNote error={bulk.error} />
      {undecided && (
        <p class="notice" role="alert">
          {undecided}
        </p>
      )}
      <div
        class="review-list"
        onKeyDown={(e) => {
          const t = e.target as HTMLElement;
          if (/^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(t.tagName) || e.metaKey || e.ctrlKey || e.altKey)
            return;
          if (e.key === 'j' || e.key === 'ArrowDown') move(focus + 1);
          else if (e.key === 'k' || e.key === 'ArrowUp') move(focus - 1);
          else if (e.key === 'x' && shown[focus]) toggle(shown[focus].id);
          else return;
          e.preventDefault();
        }}
      >
        {shown.map((g, i) => (
          <ReviewItem
            key={g.id}
            item={g}
            setRef={(el) => (refs.current[i] = el)}
            focused={i === focus}
            onFocus={() => setFocus(i)}
            selected={selected.has(g.id)}
            onSelect={() => toggle(g.id)}
            onDecided={(r) => {
              setDecided((m) => new Map(m).set(r.id, r));
              if (i === focus) move(i + 1);
            }}
          />
        ))}
      </div>
      {list.data && (cursors.length > 1 || list.data.pageInfo.hasNextPage) && (
        <nav class="row pager" aria-label="Pages of generated text">
          <Button disabled={first} onClick={() => setCursors((c) => c.slice(0, -1))}>
            ← Previous {PAGE}
          </Button>
          <span class="muted">
            page {cursors.length} of {Math.max(1, Math.ceil(total / PAGE))}
          </span>
          <Button
            disabled={!list.data.pageInfo.hasNextPage}
            onClick={() => setCursors((c) => [...c, list.data!.pageInfo.endCursor])}
          >
            Next {PAGE} →
          </Button>
          {status === 'PENDING' && (
            <Button onClick={() => setVersion((v) => v + 1)}>Refresh (decided texts leave the list)</Button>
          )}
        </nav>
      )}
    </>
  );
}

/** Filter by article: find one by its title, or clear it. */
function ArticleFilter({ id }: { id: string }) {
  const [text, setText] = useState('');
  const q = useDebounced(text.trim());
  const title = useAsync(
    () => (id ? send(ARTICLE, { id }).then((d) => d.contentItem.title) : Promise.resolve('')),
    [id],
  );
  const found = useAsync(
    () =>
      q.length >= 2 && !id
        ? send(FIND_ARTICLE, { q }).then((d) => d.contentItems.edges.map((e) => e.node))
        : Promise.resolve([]),
    [q, id],
  );
  if (id)
    return (
      <p class="row">
        Article: <Link to={`content/${id}`}>{title.data || id}</Link>{' '}
        <Button onClick={() => setQuery({ article: null })}>Any article</Button>
      </p>
    );
  return (
    <>
      <Field label="Article">
        <input
          type="search"
          list="review-articles"
          value={text}
          onInput={(e) => {
            const v = e.currentTarget.value;
            const hit = found.data?.find((c) => c.title === v);
            if (hit) setQuery({ article: hit.id });
            else setText(v);
          }}
          placeholder="words from its title"
        />
      </Field>
      <datalist id="review-articles">
        {found.data?.map((c) => (
          <option key={c.id} value={c.title} />
        ))}
      </datalist>
    </>
  );
}

function ReviewItem({
  item,
  setRef,
  focused,
  onFocus,
  selected,
  onSelect,
  onDecided,
}: {
  item: Generated;
  setRef: (el: HTMLElement | null) => void;
  focused: boolean;
  onFocus: () => void;
  selected: boolean;
  onSelect: () => void;
  onDecided: (g: Generated) => void;
}) {
  const [editing, setEditing] = useState(false);
  // A translation means little without its source: it opens beside it.
  const [beside, setBeside] = useState(item.kind === 'TRANSLATION');
  const [text, setText] = useState(item.editedOutput ?? item.output);
  const act = useAction(async (d: ReviewDecision) => {
    const r = await decide(item, d, d === 'EDIT' ? text : undefined);
    announce(d === 'ACCEPT' ? 'Accepted' : d === 'REJECT' ? 'Rejected' : 'Edit saved and accepted');
    setEditing(false);
    onDecided(r);
  });
  const pending = item.status === 'PENDING';
  const undoing = useAction(async () => {
    onDecided(await undo(item));
    announce('Decision undone: the article is as it was');
  });
  const label = `${kindWords(item.kind)} for ${item.content?.title ?? 'no article'}`;
  return (
    <article
      class={`gen-item review-item${focused ? ' focused' : ''}${selected ? ' selected' : ''}`}
      aria-label={label}
      tabIndex={focused ? 0 : -1}
      ref={setRef}
      onFocus={onFocus}
      data-status={item.status}
      data-id={item.id}
      onKeyDown={(e) => {
        const t = e.target as HTMLElement;
        if (t !== e.currentTarget || !canEdit() || e.metaKey || e.ctrlKey || e.altKey) return;
        if (e.key === 'a' && item.status === 'PENDING') void act.run('ACCEPT');
        else if (e.key === 'r' && item.status === 'PENDING') void act.run('REJECT');
        else if (e.key === 'e') setEditing(true);
        else if (e.key === 'o') setBeside(!beside);
        else return;
        e.preventDefault();
      }}
    >
      <div class="meta">
        {canEdit() && (
          <input type="checkbox" checked={selected} onChange={onSelect} aria-label={`Select the ${label}`} />
        )}
        <strong>{kindWords(item.kind)}</strong>
        <Badge status={item.status} />
        {item.guardrails && !item.guardrails.passed && <Badge status="flagged" />}
        <Engine name={item.engine} version={item.engineVersion} />
        <span class="muted">{fmtDate(item.createdAt)}</span>
        {item.content && <Link to={`content/${item.content.id}`}>{item.content.title}</Link>}
      </div>
      {beside && item.kind === 'TRANSLATION' && !editing ? (
        <TranslationBeside item={item} />
      ) : (
        <div class={beside ? 'side-by-side' : ''}>
          {beside && item.contentId && <Source id={item.contentId} kind={item.kind} />}
          <div>
            {beside && <h4>{item.editedOutput ? "The editor's version" : 'What the model wrote'}</h4>}
            {editing ? (
              <label class="field">
                <span class="label">Edit the text</span>
                <textarea rows={4} value={text} onInput={(e) => setText(e.currentTarget.value)} />
              </label>
            ) : item.editedOutput && item.editedOutput !== item.output ? (
              <>
                <Diff
                  before={item.output}
                  after={item.editedOutput}
                  label="Changes the editor made to the model's text"
                />
                <p class="muted small">Struck through: the model's words; underlined: the editor's.</p>
              </>
            ) : (
              <p class="output">{item.output}</p>
            )}
          </div>
        </div>
      )}
      <GenerationNotes item={item} />
      <div class="row">
        {canEdit() &&
          (editing ? (
            <>
              <Button kind="primary" busy={act.busy} onClick={() => void act.run('EDIT')}>
                Save edit
              </Button>
              <Button onClick={() => setEditing(false)}>Cancel</Button>
            </>
          ) : pending ? (
            <>
              <Button
                kind="primary"
                busy={act.busy}
                onClick={() => void act.run('ACCEPT')}
                aria-keyshortcuts="a"
              >
                {acceptLabel(item.kind)}
              </Button>
              <Button onClick={() => setEditing(true)} aria-keyshortcuts="e">
                Edit
              </Button>
              <Button
                kind="danger"
                busy={act.busy}
                onClick={() => void act.run('REJECT')}
                aria-keyshortcuts="r"
              >
                Reject
              </Button>
            </>
          ) : (
            item.canUndo && (
              <Button busy={undoing.busy} onClick={() => void undoing.run()}>
                Undo
              </Button>
            )
          ))}
        {item.contentId && (
          <Button aria-expanded={beside} onClick={() => setBeside(!beside)} aria-keyshortcuts="o">
            {item.kind === 'TRANSLATION'
              ? beside
                ? 'Hide the original'
                : 'Beside the original'
              : beside
                ? 'Hide the article'
                : 'Beside the article'}
          </Button>
        )}
        {!pending && <span class="muted small">decided {fmtDate(item.decidedAt)}</span>}
      </div>
      {!pending && item.appliedContent && (
        <p class="muted small">
          Applied to <Link to={`content/${item.appliedContent.id}`}>{item.appliedContent.title}</Link>
        </p>
      )}
      <ErrorNote error={act.error ?? undoing.error} />
    </article>
  );
}

/** What the text was made from: the article, with what the text would replace. */
function Source({ id, kind }: { id: string; kind: string }) {
  const a = useAsync(() => send(ARTICLE, { id }).then((d) => d.contentItem), [id]);
  if (a.error) return <ErrorNote error={a.error} />;
  if (!a.data) return <Loading />;
  const c = a.data;
  return (
    <div class="source" aria-label="The article">
      <h4>The article</h4>
      {kind === 'HEADLINE' && <p>Current title: {c.title}</p>}
      {kind === 'SUMMARY' && <p>Current summary: {c.summary ?? <span class="muted">none</span>}</p>}
      {(kind === 'TAGS' || kind === 'KEYWORDS') && (
        <p>Current tags: {c.tags.length ? c.tags.join(', ') : <span class="muted">none</span>}</p>
      )}
      <div class="source-text">
        <strong>{c.title}</strong>
        <p>{c.body}</p>
      </div>
    </div>
  );
}

const MODERATION_QUEUE = graphql(`
  query ModerationQueue($first: Int!) {
    moderationQueue(first: $first) {
      totalCount
      edges {
        node {
          assetId
          decision
          scores
          reasons
          status
          createdAt
        }
      }
    }
  }
`);

const REVIEW_MODERATION = graphql(`
  mutation ReviewModeration($assetId: ID!, $action: ModerationAction!) {
    reviewModeration(assetId: $assetId, action: $action) {
      assetId
      status
    }
  }
`);

/** One entry of ModerationReview.reasons (JSON). */
interface ModerationReason {
  className: string;
  score: number;
  threshold: number;
  action: string;
}

function Moderation() {
  const q = useAsync(() => send(MODERATION_QUEUE, { first: 50 }).then((d) => d.moderationQueue), []);
  const act = useAction(async (assetId: string, action: 'APPROVE' | 'REMOVE') => {
    await send(REVIEW_MODERATION, { assetId, action });
    announce(action === 'APPROVE' ? 'Image approved' : 'Image removed from use');
    q.reload();
  });
  if (q.error) return <ErrorNote error={q.error} />;
  if (!q.data) return <Loading />;
  if (!q.data.edges.length) return <p class="muted">Nothing waits for review.</p>;
  return (
    <>
      <p class="muted">{q.data.totalCount} waiting, oldest first.</p>
      <ErrorNote error={act.error} />
      <div class="grid2">
        {q.data.edges.map(({ node: r }) => (
          <article class="card" key={r.assetId} aria-label={`Flagged image ${r.assetId}`}>
            <div class="row">
              <Badge status={r.decision} /> <span class="muted">{fmtDate(r.createdAt)}</span>{' '}
              <Link to={`media/${r.assetId}`}>open</Link>
            </div>
            <details>
              <summary>Show the image</summary>
              <AuthImage
                path={`/v1/assets/${r.assetId}/content`}
                alt="Flagged image"
                style={{ maxWidth: '100%', maxHeight: '320px' }}
              />
            </details>
            <ul>
              {((r.reasons ?? []) as ModerationReason[]).map((x, i) => (
                <li key={i}>
                  {x.className} {x.score.toFixed(2)} (≥ {x.action} threshold {x.threshold})
                </li>
              ))}
            </ul>
            {canEdit() && (
              <div class="row">
                <Button kind="primary" onClick={() => void act.run(r.assetId, 'APPROVE')}>
                  Approve
                </Button>
                <Button kind="danger" onClick={() => void act.run(r.assetId, 'REMOVE')}>
                  Remove from use
                </Button>
              </div>
            )}
          </article>
        ))}
      </div>
    </>
  );
}
