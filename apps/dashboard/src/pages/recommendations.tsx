import { useState } from 'preact/hooks';
import { enumValues, field, inputFields, named, returnShape, type Spec } from '../api/schema.js';
import { hasOp, op, opLabel, runOp } from '../api/areas.js';
import { gql } from '../api/client.js';
import { canEdit } from '../session.js';
import type { PageProps } from '../shell.js';
import { announce } from '../ui/announce.js';
import {
  Badge,
  Button,
  ErrorNote,
  Field,
  fmtDate,
  Loading,
  PageHeader,
  Unavailable,
} from '../ui/components.js';
import { useAction, useAsync, useDebounced } from '../ui/hooks.js';
import { Link, setQuery } from '../ui/router.js';

interface Rec {
  score?: number;
  reason?: string | { text?: string; kind?: string } | null;
  reasons?: (string | { text?: string; kind?: string })[];
  explanation?: string | { text?: string; kind?: string } | null;
  pinned?: boolean;
  boosted?: boolean;
  itemId?: string;
  contentId?: string;
  content?: { id: string; title: string; category?: string | null; publishedAt?: string | null } | null;
  item?: { id: string; title: string; category?: string | null } | null;
}

const CONTENT: Spec = ['id', 'title', 'category', 'publishedAt'];
const REASON: Spec = ['text', 'kind', 'relatedItemId'];
const REC_SPEC: Spec = [
  'score',
  'reason',
  'reasonKind',
  'reasons',
  'explanation',
  'pinned',
  'boosted',
  'itemId',
  'contentId',
  { content: CONTENT },
  { item: CONTENT },
  { reason: REASON },
  { reasons: REASON },
  { explanation: REASON },
];

async function fetchRecs(
  reader: string,
): Promise<{ recs: Rec[]; model?: string; coldStart?: boolean; tookMs?: number }> {
  const o = op('recommendations')!;
  const node = returnShape(o).node;
  const wrapped = !!field(node, 'items') || !!field(node, 'recommendations');
  const spec: Spec = wrapped
    ? [
        { items: REC_SPEC },
        { recommendations: REC_SPEC },
        { modelVersion: ['name', 'algorithm', 'version'] },
        { model: ['name', 'version'] },
        'coldStart',
        'tookMs',
      ]
    : REC_SPEC;
  const r = await runOp<unknown>(
    'recommendations',
    { 'readerId|readerExternalId|reader|externalId|userId': reader, 'first|k|limit|count': 20 },
    spec,
  );
  if (!wrapped) return { recs: r as Rec[] };
  const w = r as {
    items?: Rec[];
    recommendations?: Rec[];
    modelVersion?: { name?: string; algorithm?: string; version: number } | null;
    model?: { name?: string; version: string } | null;
    coldStart?: boolean;
    tookMs?: number;
  };
  const m = w.modelVersion ?? w.model;
  const model = m
    ? `${m.name ?? (m as { algorithm?: string }).algorithm ?? 'model'} v${m.version}`
    : undefined;
  return { recs: w.items ?? w.recommendations ?? [], model, coldStart: w.coldStart, tookMs: w.tookMs };
}

const reasonText = (r: Rec) => {
  const all = [r.reason, r.explanation, ...(r.reasons ?? [])].filter(Boolean) as (
    string | { text?: string; kind?: string }
  )[];
  return all
    .map((x) => (typeof x === 'string' ? x : (x.text ?? x.kind ?? '')))
    .filter(Boolean)
    .join('; ');
};

export default function RecommendationsPage({ query }: PageProps) {
  if (!hasOp('recommendations')) {
    return (
      <>
        <PageHeader title="Recommendations" />
        <Unavailable what="Recommendations" needs={[opLabel('recommendations')]} />
      </>
    );
  }
  return <Recs reader={query.get('reader') ?? ''} />;
}

function Recs({ reader }: { reader: string }) {
  const [input, setInput] = useState(reader);
  const [version, setVersion] = useState(0);
  const readers = useAsync(
    () =>
      hasOp('readers')
        ? runOp<{ id: string; externalId: string }[]>('readers', { first: 50 }, ['id', 'externalId'])
        : Promise.resolve([]),
    [],
  );
  const recs = useAsync(() => (reader ? fetchRecs(reader) : Promise.resolve(null)), [reader, version]);
  return (
    <>
      <PageHeader title="Recommendations" />
      <form
        class="filters"
        aria-label="Choose a reader"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery({ reader: input.trim() });
        }}
      >
        <Field label="Reader id" hint="The reader's id in your systems">
          <input list="readers" value={input} onInput={(e) => setInput(e.currentTarget.value)} />
        </Field>
        <datalist id="readers">
          {readers.data?.map((r) => (
            <option key={r.id} value={r.externalId} />
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
          <ErrorNote error={recs.error} />
          {reader && !recs.data && <Loading />}
          {recs.data && (
            <>
              <p class="muted">
                {recs.data.coldStart
                  ? 'Unknown reader or no usable history: popular and trending items. '
                  : ''}
                {recs.data.model && `Ranked by ${recs.data.model}. `}
                {typeof recs.data.tookMs === 'number' && `${Math.round(recs.data.tookMs)} ms.`}
              </p>
              {recs.data.recs.length ? (
                <ol data-testid="recs">
                  {recs.data.recs.map((r, i) => {
                    const c = r.content ?? r.item;
                    const id = c?.id ?? r.contentId ?? r.itemId ?? '';
                    return (
                      <li key={`${id}-${i}`}>
                        <Link to={`content/${id}`}>{c?.title ?? id}</Link>{' '}
                        {r.pinned && <Badge status="pinned" />} {r.boosted && <Badge status="boosted" />}
                        <div class="muted small">
                          {reasonText(r) || 'no reason given'}
                          {typeof r.score === 'number' && ` · score ${r.score.toFixed(3)}`}
                        </div>
                      </li>
                    );
                  })}
                </ol>
              ) : (
                <p class="muted">No recommendations for this reader.</p>
              )}
            </>
          )}
        </section>
        <section aria-labelledby="rules-h">
          <h2 id="rules-h">Editorial rules</h2>
          <Rules onChanged={() => setVersion((v) => v + 1)} />
        </section>
      </div>
    </>
  );
}

interface Rule {
  id: string;
  kind: string;
  position?: number | null;
  factor?: number | null;
  startsAt?: string | null;
  endsAt?: string | null;
  note?: string | null;
  contentId?: string;
  content?: { id: string; title: string } | null;
}

function Rules({ onChanged }: { onChanged: () => void }) {
  const rules = useAsync(async () => {
    if (!hasOp('rules')) return [];
    const list = await runOp<Rule[]>('rules', { first: 100 }, [
      'id',
      'kind',
      'position',
      'factor',
      'startsAt',
      'endsAt',
      'note',
      'contentId',
      { content: ['id', 'title'] },
    ]);
    // Rules carry the item's id: fetch the titles (of the first 30 items).
    const ids = [...new Set(list.filter((r) => !r.content && r.contentId).map((r) => r.contentId!))].slice(
      0,
      30,
    );
    const titles = new Map<string, string>();
    await Promise.all(
      ids.map((id) =>
        gql<{ contentItem: { title: string } }>(`query($id: ID!) { contentItem(id: $id) { title } }`, {
          id,
        }).then(
          (d) => void titles.set(id, d.contentItem.title),
          () => undefined,
        ),
      ),
    );
    return list.map((r) =>
      r.content || !r.contentId
        ? r
        : { ...r, content: { id: r.contentId, title: titles.get(r.contentId) ?? r.contentId } },
    );
  }, []);
  const del = useAction(async (id: string) => {
    await runOp('deleteRule', { 'id|ruleId': id }, ['id']);
    announce('Rule removed');
    rules.reload();
    onChanged();
  });
  if (!hasOp('createRule') && !hasOp('pin'))
    return <Unavailable what="Pin, boost, block and embargo" needs={[opLabel('pin')]} />;
  return (
    <>
      {canEdit() && (
        <NewRule
          onCreated={() => {
            rules.reload();
            onChanged();
          }}
        />
      )}
      <ErrorNote error={rules.error ?? del.error} />
      {rules.data && rules.data.length > 0 && (
        <ul>
          {rules.data.map((r) => (
            <li key={r.id}>
              <Badge status={r.kind} /> {r.content?.title ?? r.contentId}
              {r.position != null && ` at position ${r.position}`}
              {r.factor != null && ` ×${r.factor}`}
              {r.endsAt && ` until ${fmtDate(r.endsAt)}`} {r.note && <span class="muted">({r.note})</span>}{' '}
              {canEdit() && hasOp('deleteRule') && (
                <Button kind="danger" onClick={() => void del.run(r.id)} aria-label={`Remove ${r.kind} rule`}>
                  Remove
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function NewRule({ onCreated }: { onCreated: () => void }) {
  const o = op('createRule');
  const specific = (['pin', 'boost', 'block', 'embargo'] as const).filter(hasOp);
  const kinds = (() => {
    if (!o) return specific.map((k) => k.toUpperCase());
    for (const a of o.args) {
      const direct = enumValues(named(a.type));
      if (direct.length) return direct;
      for (const f of inputFields(named(a.type)))
        if (enumValues(named(f.type)).length) return enumValues(named(f.type));
    }
    return ['PIN', 'BOOST', 'BLOCK', 'EMBARGO'];
  })();
  const [search, setSearch] = useState('');
  const q = useDebounced(search);
  const [contentId, setContentId] = useState('');
  const [kind, setKind] = useState(kinds[0] ?? 'PIN');
  const [position, setPosition] = useState('1');
  const [factor, setFactor] = useState('2');
  const [until, setUntil] = useState('');
  const found = useAsync(
    () =>
      q.length >= 2
        ? gql<{ contentItems: { edges: { node: { id: string; title: string } }[] } }>(
            `query($f: ContentFilter) { contentItems(first: 8, filter: $f) { edges { node { id title } } } }`,
            { f: { search: q } },
          ).then((d) => d.contentItems.edges.map((e) => e.node))
        : Promise.resolve([]),
    [q],
  );
  const act = useAction(async () => {
    const known: Record<string, unknown> = { 'contentId|itemId': contentId, kind };
    if (kind === 'PIN') known.position = Number(position);
    if (kind === 'BOOST') known.factor = Number(factor);
    if (kind === 'EMBARGO') known['until|endsAt'] = new Date(until).toISOString();
    const specificOp = kind.toLowerCase() as 'pin' | 'boost' | 'block' | 'embargo';
    await runOp(hasOp(specificOp) ? specificOp : 'createRule', known, ['id']);
    announce(`${kind.toLowerCase()} rule added`);
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
        <Field label="Rule">
          <select value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
            {kinds.map((k) => (
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
        {kind === 'EMBARGO' && (
          <Field label="Hidden until">
            <input
              type="datetime-local"
              required
              value={until}
              onInput={(e) => setUntil(e.currentTarget.value)}
            />
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
  const t = useAsync(
    () => (hasOp('trending') ? runOp<Rec[]>('trending', { first: 10 }, REC_SPEC) : Promise.resolve(null)),
    [],
  );
  if (!t.data?.length) return <ErrorNote error={t.error} />;
  return (
    <>
      <h3>Trending now</h3>
      <ol>
        {t.data.map((r, i) => (
          <li key={i}>
            <Link to={`content/${r.content?.id ?? ''}`}>{r.content?.title}</Link>{' '}
            <span class="muted small">{reasonText(r)}</span>
          </li>
        ))}
      </ol>
    </>
  );
}
