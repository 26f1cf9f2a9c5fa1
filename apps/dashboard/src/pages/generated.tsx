import { useState } from 'preact/hooks';
import { enumArg, GENERATED_SPEC, hasOp, op, opLabel, runOp } from '../api/areas.js';
import { named } from '../api/schema.js';
import { announce } from '../ui/announce.js';
import { Badge, Button, Engine, ErrorNote, fmtDate, Loading, Unavailable } from '../ui/components.js';
import { useAction, useAsync } from '../ui/hooks.js';
import { Link } from '../ui/router.js';

/** Generated texts (summaries, headlines, keywords, tags, drafts) with their engine, and the editor's decision. */

export interface Generated {
  id: string;
  kind?: string;
  engine?: string;
  engineVersion?: string | null;
  model?: { name: string; version: string } | null;
  output?: string;
  editedOutput?: string | null;
  status?: string;
  createdAt?: string;
  contentId?: string | null;
  content?: { id: string; title: string } | null;
  finalOutput?: string;
  guardrails?: {
    passed: boolean;
    action: string;
    issues: { kind: string; severity: string; message: string; suggestion?: string | null }[];
  } | null;
  fallback?: { from: string; reason: string } | null;
}

export const generationAvailable = () => hasOp('generatedList');

export function listGenerated(filter: { contentId?: string; statuses?: string[] }): Promise<Generated[]> {
  return runOp<Generated[]>(
    'generatedList',
    { contentId: filter.contentId, 'status|statuses': filter.statuses, first: 50 },
    GENERATED_SPEC,
  );
}

function listArg(name: 'reviewGenerated', re: RegExp): Record<string, unknown> {
  const e = enumArg(name, re);
  if (!e) return {};
  const a = op(name)!.args.find((x) => x.name === e.arg)!;
  return { [e.arg]: a.type.kind === 'LIST' || a.type.ofType?.kind === 'LIST' ? [e.value] : e.value };
}

export async function decide(
  item: Generated,
  decision: 'accept' | 'reject' | 'edit',
  text?: string,
): Promise<void> {
  const id = { 'id|itemId|generatedItemId|generationId': item.id };
  const textArg = { 'editedOutput|output|text|edited': text };
  if (decision === 'accept' && hasOp('acceptGenerated'))
    return void (await runOp('acceptGenerated', id, GENERATED_SPEC));
  if (decision === 'reject' && hasOp('rejectGenerated'))
    return void (await runOp('rejectGenerated', id, GENERATED_SPEC));
  if (decision === 'edit' && hasOp('editGenerated'))
    return void (await runOp('editGenerated', { ...id, ...textArg }, GENERATED_SPEC));
  if (
    decision === 'edit' &&
    hasOp('acceptGenerated') &&
    op('acceptGenerated')!.args.some((a) => /edit|output|text/i.test(a.name))
  ) {
    return void (await runOp('acceptGenerated', { ...id, ...textArg }, GENERATED_SPEC));
  }
  if (hasOp('reviewGenerated')) {
    const re = decision === 'accept' ? /^(ACCEPT|APPROVE)/ : decision === 'reject' ? /^REJECT/ : /^EDIT/;
    return void (await runOp(
      'reviewGenerated',
      { ...id, ...textArg, ...listArg('reviewGenerated', re) },
      GENERATED_SPEC,
    ));
  }
  throw new Error(
    `This server cannot ${decision} generated text (no ${opLabel(decision === 'accept' ? 'acceptGenerated' : decision === 'reject' ? 'rejectGenerated' : 'editGenerated')})`,
  );
}

export const canDecide = () => hasOp('acceptGenerated') || hasOp('reviewGenerated');

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
  const act = useAction(async (d: 'accept' | 'reject' | 'edit') => {
    await decide(item, d, d === 'edit' ? text : undefined);
    announce(d === 'accept' ? 'Accepted' : d === 'reject' ? 'Rejected' : 'Edit saved');
    setEditing(false);
    onChanged();
  });
  const shown = item.editedOutput ?? item.output ?? '';
  const engine = item.engine ?? item.model?.name;
  return (
    <article class="gen-item" aria-label={`${item.kind ?? 'Generated'} by ${engine ?? 'unknown engine'}`}>
      <div class="meta">
        <strong>{(item.kind ?? 'generated').toLowerCase().replace(/_/g, ' ')}</strong>
        {item.status && <Badge status={item.status} />}
        <Engine name={engine} version={item.engineVersion ?? item.model?.version} />
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
      {canDecide() && (
        <div class="row">
          {editing ? (
            <>
              <Button kind="primary" busy={act.busy} onClick={() => act.run('edit')}>
                Save edit
              </Button>
              <Button onClick={() => setEditing(false)}>Cancel</Button>
            </>
          ) : (
            <>
              <Button
                kind="primary"
                busy={act.busy}
                onClick={() => act.run('accept')}
                disabled={item.status === 'ACCEPTED'}
              >
                Accept
              </Button>
              <Button onClick={() => setEditing(true)}>Edit</Button>
              <Button
                kind="danger"
                busy={act.busy}
                onClick={() => act.run('reject')}
                disabled={item.status === 'REJECTED'}
              >
                Reject
              </Button>
            </>
          )}
        </div>
      )}
      <ErrorNote error={act.error} />
    </article>
  );
}

export function GeneratedList({
  contentId,
  statuses,
  reloadKey = 0,
  showContent,
}: {
  contentId?: string;
  statuses?: string[];
  reloadKey?: number;
  showContent?: boolean;
}) {
  const available = generationAvailable();
  const list = useAsync(
    () => (available ? listGenerated({ contentId, statuses }) : Promise.resolve([])),
    [contentId, statuses?.join(), reloadKey],
  );
  if (!available) return <Unavailable what="Generated text" needs={[opLabel('generatedList')]} />;
  if (list.error) return <ErrorNote error={list.error} />;
  if (!list.data) return <Loading />;
  if (!list.data.length)
    return <p class="muted">No generated text {statuses ? 'waiting for review' : 'for this item yet'}.</p>;
  return (
    <div>
      {list.data.map((g) => (
        <GeneratedCard key={g.id} item={g} onChanged={list.reload} showContent={showContent} />
      ))}
    </div>
  );
}

/** Whether the return type of an op is a GeneratedItem-like (not a Job). */
export const returnsItems = (name: Parameters<typeof op>[0]) => {
  const o = op(name);
  return !!o && named(o.type) !== 'Job';
};
