import { send } from '../api/client.js';
import { graphql } from '../gql/gql.js';
import { canEdit } from '../session.js';
import type { PageProps } from '../shell.js';
import { announce } from '../ui/announce.js';
import { AuthImage, Badge, Button, ErrorNote, fmtDate, Loading, PageHeader } from '../ui/components.js';
import { useAction, useAsync } from '../ui/hooks.js';
import { Link } from '../ui/router.js';
import { GeneratedList } from './generated.js';

/** One entry of ModerationReview.reasons (JSON). */
interface ModerationReason {
  className: string;
  score: number;
  threshold: number;
  action: string;
}

export default function ReviewPage(_: PageProps) {
  return (
    <>
      <PageHeader title="Review" />
      {!canEdit() && <p class="muted">Reviewing needs an editor or admin key.</p>}
      <div class="grid2">
        <section aria-labelledby="mod-h">
          <h2 id="mod-h">Images flagged by moderation</h2>
          <Moderation />
        </section>
        <section aria-labelledby="gen-h">
          <h2 id="gen-h">Generated text awaiting approval</h2>
          <GeneratedList status={['PENDING']} showContent />
        </section>
      </div>
    </>
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
      {q.data.edges.map(({ node: r }) => (
        <article class="card" key={r.assetId}>
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
    </>
  );
}
