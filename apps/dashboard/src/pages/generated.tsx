import { useState } from 'preact/hooks';
import { send } from '../api/client.js';
import { graphql } from '../gql/gql.js';
import type { GeneratedItemFilter, GeneratedRowFragment, ReviewDecision } from '../gql/graphql.js';
import { canEdit } from '../session.js';
import { announce } from '../ui/announce.js';
import { Badge, Button, Engine, ErrorNote, fmtDate, GenerationNotes, Loading } from '../ui/components.js';
import { useAction, useAsync } from '../ui/hooks.js';
import { Link } from '../ui/router.js';

/** Generated texts (summaries, headlines, keywords, tags, drafts) with their engine, and the editor's decision. */

export type Generated = GeneratedRowFragment;

graphql(`
  fragment GeneratedRow on GeneratedItem {
    id
    canUndo
    appliedContent {
      id
      title
    }
    kind
    engine
    engineVersion
    output
    editedOutput
    finalOutput
    status
    contentId
    createdAt
    decidedAt
    jobId
    content {
      id
      title
    }
    guardrails {
      passed
      action
      issues {
        kind
        severity
        message
        suggestion
      }
    }
    fallback {
      from
      reason
    }
  }
`);

const LIST = graphql(`
  query GeneratedItems($filter: GeneratedItemFilter, $first: Int!, $after: String) {
    generatedItems(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...GeneratedRow
        }
      }
    }
  }
`);

const REVIEW = graphql(`
  mutation ReviewGeneratedItem($id: ID!, $decision: ReviewDecision!, $editedOutput: String) {
    reviewGeneratedItem(id: $id, decision: $decision, editedOutput: $editedOutput) {
      ...GeneratedRow
    }
  }
`);

const REVIEW_MANY = graphql(`
  mutation ReviewGeneratedItems($ids: [ID!]!, $decision: ReviewDecision!) {
    reviewGeneratedItems(ids: $ids, decision: $decision) {
      decided
      failed
      results {
        id
        code
        error
        item {
          ...GeneratedRow
        }
      }
    }
  }
`);

const TRANSLATION_SOURCE = graphql(`
  query TranslationBeside($id: ID!) {
    generatedItem(id: $id) {
      id
      outputData
      source {
        title
        text
        language
      }
    }
  }
`);

const UNDO = graphql(`
  mutation UndoReview($id: ID!) {
    undoReview(id: $id) {
      ...GeneratedRow
    }
  }
`);

/** What accepting does to the article, by kind (the API applies it; undoReview takes it back). */
export function acceptLabel(kind: string): string {
  const what: Record<string, string> = {
    HEADLINE: 'use as title',
    SUMMARY: 'publish summary',
    KEYWORDS: 'add to tags',
    TAGS: 'add to tags',
    TRANSLATION: 'apply translation',
  };
  return what[kind] ? `Accept: ${what[kind]}` : 'Accept';
}

export async function undo(item: Generated): Promise<Generated> {
  return (await send(UNDO, { id: item.id })).undoReview;
}

export async function listGenerated(filter: GeneratedItemFilter, first = 50, after?: string | null) {
  return (await send(LIST, { filter, first, after })).generatedItems;
}

export async function decide(item: Generated, decision: ReviewDecision, text?: string): Promise<Generated> {
  return (await send(REVIEW, { id: item.id, decision, editedOutput: text })).reviewGeneratedItem;
}

/** The most items reviewGeneratedItems takes in one request. */
const BULK_MAX = 100;

/**
 * Accepts or rejects many items with reviewGeneratedItems: one request per 100 items, each item decided
 * on its own (one that cannot be, e.g. already decided, comes back with its reason and the rest go ahead).
 */
export async function decideMany(ids: string[], decision: ReviewDecision) {
  const decided: Generated[] = [];
  const failed: { id: string; error: string }[] = [];
  for (let i = 0; i < ids.length; i += BULK_MAX) {
    const r = (await send(REVIEW_MANY, { ids: ids.slice(i, i + BULK_MAX), decision })).reviewGeneratedItems;
    for (const x of r.results)
      if (x.item) decided.push(x.item);
      else failed.push({ id: x.id, error: x.error ?? x.code ?? 'not decided' });
  }
  return { decided, failed };
}

/** The words of a text that may be HTML, paragraphs kept as blank lines (the parsed document runs nothing). */
export function plainText(text: string): string {
  if (!/<\/?[a-z][^>]*>/i.test(text)) return text;
  const breaks = text.replace(/<\/(p|div|h[1-6]|li|blockquote|tr)>|<br\s*\/?>/gi, '\n\n');
  return new DOMParser().parseFromString(breaks, 'text/html').body.textContent ?? '';
}

/** Paragraphs of a text (blank-line separated), for lining a translation up with its source. */
const paragraphs = (t: string) =>
  plainText(t)
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);

interface Side {
  language: string | null | undefined;
  title: string | null | undefined;
  text: string;
}

/**
 * An original on the left and its translation on the right, paragraph by paragraph when both have as
 * many (so a word translated wrong shows), else as two blocks.
 */
export function SideBySide({ original, translation }: { original: Side; translation: Side }) {
  const left = paragraphs(original.text);
  const right = paragraphs(translation.text);
  const rows =
    left.length === right.length
      ? left.map((l, i) => [l, right[i]] as const)
      : [[left.join('\n\n'), right.join('\n\n')] as const];
  const from = original.language || undefined;
  const to = translation.language || undefined;
  return (
    <div
      class="translation-beside"
      data-testid="translation-beside"
      role="region"
      aria-label="The original beside its translation"
      tabIndex={0}
    >
      <table>
        <thead>
          <tr>
            <th scope="col">Original{from && ` (${from})`}</th>
            <th scope="col">Translation{to && ` (${to})`}</th>
          </tr>
        </thead>
        <tbody>
          <tr class="titles">
            <td lang={from}>{original.title ?? <span class="muted">the original is gone</span>}</td>
            <td lang={to}>{translation.title}</td>
          </tr>
          {rows.map(([l, r], i) => (
            <tr key={i}>
              <td lang={from}>{l}</td>
              <td lang={to}>{r}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A proposed translation (a TRANSLATION item) beside its source; the editor's version when edited. */
export function TranslationBeside({ item }: { item: Generated }) {
  const q = useAsync(() => send(TRANSLATION_SOURCE, { id: item.id }).then((d) => d.generatedItem), [item.id]);
  if (q.error) return <ErrorNote error={q.error} />;
  if (!q.data) return <Loading />;
  const data = (q.data.outputData ?? {}) as { title?: string; language?: string; sourceLanguage?: string };
  const src = q.data.source;
  return (
    <SideBySide
      original={{
        language: src?.language ?? data.sourceLanguage,
        title: src?.title,
        text: src?.text ?? '',
      }}
      translation={{ language: data.language, title: data.title, text: item.editedOutput ?? item.output }}
    />
  );
}

function GeneratedCard({
  item,
  onChanged,
  showContent,
}: {
  item: Generated;
  onChanged: () => void;
  showContent?: boolean;
}) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(item.editedOutput ?? item.output ?? '');
  const act = useAction(async (d: ReviewDecision) => {
    await decide(item, d, d === 'EDIT' ? text : undefined);
    announce(d === 'ACCEPT' ? 'Accepted' : d === 'REJECT' ? 'Rejected' : 'Edit saved');
    setEditing(false);
    onChanged();
  });
  const undoing = useAction(async () => {
    await undo(item);
    announce('Decision undone');
    onChanged();
  });
  const shown = item.editedOutput ?? item.output ?? '';
  return (
    <article class="gen-item" aria-label={`${item.kind} by ${item.engine}`}>
      <div class="meta">
        <strong>{item.kind.toLowerCase().replace(/_/g, ' ')}</strong>
        <Badge status={item.status} />
        <Engine name={item.engine} version={item.engineVersion} />
        <span class="muted">{fmtDate(item.createdAt)}</span>
        {showContent && item.content && <Link to={`content/${item.content.id}`}>{item.content.title}</Link>}
      </div>
      {editing ? (
        <label class="field">
          <span class="label">Edit the text</span>
          <textarea value={text} onInput={(e) => setText(e.currentTarget.value)} />
        </label>
      ) : item.kind === 'TRANSLATION' ? (
        <TranslationBeside item={item} />
      ) : (
        <p class="output">{shown}</p>
      )}
      {item.editedOutput && !editing && (
        <p class="muted small">Edited by an editor; the engine wrote: {item.output}</p>
      )}
      <GenerationNotes item={item} />
      {canEdit() && (
        <div class="row">
          {editing ? (
            <>
              <Button kind="primary" busy={act.busy} onClick={() => act.run('EDIT')}>
                Save edit
              </Button>
              <Button onClick={() => setEditing(false)}>Cancel</Button>
            </>
          ) : (
            <>
              {item.status === 'PENDING' ? (
                <>
                  <Button kind="primary" busy={act.busy} onClick={() => act.run('ACCEPT')}>
                    {acceptLabel(item.kind)}
                  </Button>
                  <Button onClick={() => setEditing(true)}>Edit</Button>
                  <Button kind="danger" busy={act.busy} onClick={() => act.run('REJECT')}>
                    Reject
                  </Button>
                </>
              ) : (
                item.canUndo && (
                  <Button busy={undoing.busy} onClick={() => void undoing.run()}>
                    Undo
                  </Button>
                )
              )}
            </>
          )}
        </div>
      )}
      <ErrorNote error={act.error ?? undoing.error} />
    </article>
  );
}

export function GeneratedList({
  contentId,
  status,
  reloadKey = 0,
  showContent,
  onChanged,
}: {
  contentId?: string;
  status?: GeneratedItemFilter['status'];
  reloadKey?: number;
  showContent?: boolean;
  onChanged?: () => void;
}) {
  const list = useAsync(() => listGenerated({ contentId, status }), [contentId, status?.join(), reloadKey]);
  if (list.error) return <ErrorNote error={list.error} />;
  if (!list.data) return <Loading />;
  if (!list.data.edges.length)
    return <p class="muted">No generated text {status ? 'waiting for review' : 'for this item yet'}.</p>;
  return (
    <div>
      {list.data.edges.map(({ node: g }) => (
        <GeneratedCard
          key={g.id}
          item={g}
          onChanged={() => {
            list.reload();
            onChanged?.();
          }}
          showContent={showContent}
        />
      ))}
    </div>
  );
}
