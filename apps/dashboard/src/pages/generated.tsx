import { useState } from 'preact/hooks';
import { send } from '../api/client.js';
import { graphql } from '../gql/gql.js';
import type { GeneratedItemFilter, GeneratedRowFragment, ReviewDecision } from '../gql/graphql.js';
import { canEdit } from '../session.js';
import { announce } from '../ui/announce.js';
import { Badge, Button, Engine, ErrorNote, fmtDate, Loading } from '../ui/components.js';
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
      ) : (
        <p class="output">{shown}</p>
      )}
      {item.editedOutput && !editing && (
        <p class="muted small">Edited by an editor; the engine wrote: {item.output}</p>
      )}
      {item.fallback && (
        <p class="muted small">
          Made by {item.engine} because {item.fallback.from} failed: {item.fallback.reason}
        </p>
      )}
      {item.guardrails && !item.guardrails.passed && (
        <div class="notice small" role="note">
          <strong>
            Guardrails {item.guardrails.action === 'REJECT' ? 'rejected' : 'flagged'} this text:
          </strong>
          <ul>
            {item.guardrails.issues.map((i, n) => (
              <li key={n}>
                {i.message}
                {i.suggestion && ` (suggestion: ${i.suggestion})`}
              </li>
            ))}
          </ul>
        </div>
      )}
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
