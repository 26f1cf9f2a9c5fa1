import { useState } from 'preact/hooks';
import { download } from '../api/files.js';
import { send } from '../api/client.js';
import { graphql } from '../gql/gql.js';
import type { CardFormat, ChartKind, GraphicRowFragment, GraphicType } from '../gql/graphql.js';
import { canEdit } from '../session.js';
import {
  AuthImage,
  Button,
  ErrorNote,
  Field,
  fmtDate,
  Loading,
  MoreButton,
  PageHeader,
} from '../ui/components.js';
import { useAction, useAsync } from '../ui/hooks.js';
import { JobLine, type JobState } from '../ui/job.js';

/** Social cards, charts and generated images: make them, see them, make them again. */

graphql(`
  fragment GraphicRow on GeneratedGraphic {
    id
    assetId
    type
    variant
    inputs
    aiGenerated
    label
    altText
    contentPath
    svgPath
    moderation
    regeneratedFrom
    createdAt
  }
`);

const LIST = graphql(`
  query Graphics($type: GraphicType, $first: Int!, $after: String) {
    graphics(type: $type, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...GraphicRow
        }
      }
    }
    graphicsOptions {
      imageModel
      scripts
      cardFormats {
        format
        width
        height
        use
      }
    }
  }
`);

const CARDS = graphql(`
  mutation MakeSocialCards($input: MakeSocialCardsInput!) {
    makeSocialCards(input: $input) {
      ...JobState
    }
  }
`);

const CHART = graphql(`
  mutation MakeChart($input: MakeChartInput!) {
    makeChart(input: $input) {
      ...JobState
    }
  }
`);

const IMAGE = graphql(`
  mutation GenerateImage($input: GenerateImageInput!) {
    generateImage(input: $input) {
      ...JobState
    }
  }
`);

const REGENERATE = graphql(`
  mutation RegenerateGraphic($assetId: ID!) {
    regenerateGraphic(assetId: $assetId) {
      ...JobState
    }
  }
`);

/** "Quarter, Revenue" then one row a line; cells that read as numbers become numbers. */
export function parseTable(text: string): { columns: string[]; rows: Array<Array<string | number | null>> } {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const split = (l: string) => l.split(/\t|;|,(?!\d)/).map((c) => c.trim());
  const [head = '', ...rest] = lines;
  return {
    columns: split(head),
    rows: rest.map((l) =>
      split(l).map((c) => (c === '' ? null : /^-?\d+(\.\d+)?$/.test(c.replace(/\s/g, '')) ? Number(c) : c)),
    ),
  };
}

const TYPES: Array<{ value: GraphicType | ''; label: string }> = [
  { value: '', label: 'All' },
  { value: 'CARD', label: 'Social cards' },
  { value: 'CHART', label: 'Charts' },
  { value: 'IMAGE', label: 'Generated images' },
];

function GraphicTile({ g, onNew }: { g: GraphicRowFragment; onNew: (job: JobState) => void }) {
  const again = useAction(async () =>
    onNew((await send(REGENERATE, { assetId: g.assetId })).regenerateGraphic),
  );
  const inputs = g.inputs as { headline?: string; title?: string; prompt?: string };
  const what = inputs.headline ?? inputs.title ?? inputs.prompt ?? '';
  return (
    <li class="card graphic-tile">
      <AuthImage
        path={g.contentPath}
        alt={g.altText ?? what}
        loading="lazy"
        style="max-width:100%;max-height:220px"
      />
      <p>
        <strong>{g.type.toLowerCase()}</strong> · {g.variant}{' '}
        {g.label && (
          <span class="badge" title="Made by a generative model">
            {g.label}
          </span>
        )}
        {g.moderation === 'flag' && <span class="badge">flagged for review</span>}
      </p>
      <p class="small">{what}</p>
      {g.altText && <p class="small muted">{g.altText}</p>}
      <p class="small muted">
        {fmtDate(g.createdAt)}
        {g.regeneratedFrom && ' · made again'}
      </p>
      <p>
        {canEdit() && (
          <Button busy={again.busy} onClick={() => void again.run()}>
            Re-generate
          </Button>
        )}{' '}
        {g.svgPath && (
          <Button onClick={() => void download(g.svgPath!, `chart-${g.assetId}.svg`)}>Download SVG</Button>
        )}
      </p>
      {again.error != null && <ErrorNote error={again.error} />}
    </li>
  );
}

function MakeForms({ imageModel, onJob }: { imageModel: string | null; onJob: (job: JobState) => void }) {
  const [card, setCard] = useState({ headline: '', quote: '', byline: '', photoAssetId: '' });
  const [formats, setFormats] = useState<CardFormat[]>(['OG', 'SQUARE', 'STORY']);
  const [chart, setChart] = useState({
    kind: 'COLUMN' as ChartKind,
    title: '',
    source: '',
    unit: '',
    table: '',
  });
  const [prompt, setPrompt] = useState('');
  const makeCards = useAction(async () =>
    onJob(
      (
        await send(CARDS, {
          input: {
            headline: card.headline,
            quote: card.quote || null,
            byline: card.byline || null,
            photoAssetId: card.photoAssetId || null,
            formats,
          },
        })
      ).makeSocialCards,
    ),
  );
  const makeChart = useAction(async () =>
    onJob(
      (
        await send(CHART, {
          input: {
            kind: chart.kind,
            title: chart.title,
            source: chart.source,
            unit: chart.unit || null,
            table: parseTable(chart.table),
          },
        })
      ).makeChart,
    ),
  );
  const makeImage = useAction(async () => onJob((await send(IMAGE, { input: { prompt } })).generateImage));
  const toggle = (f: CardFormat) =>
    setFormats(formats.includes(f) ? formats.filter((x) => x !== f) : [...formats, f]);
  return (
    <div class="graphics-forms">
      <form class="card" onSubmit={(e) => (e.preventDefault(), void makeCards.run())}>
        <h2>Social cards</h2>
        <Field label="Headline">
          <input
            value={card.headline}
            onInput={(e) => setCard({ ...card, headline: e.currentTarget.value })}
            required
          />
        </Field>
        <Field label="Quote (optional)">
          <input value={card.quote} onInput={(e) => setCard({ ...card, quote: e.currentTarget.value })} />
        </Field>
        <Field label="Byline (optional)">
          <input value={card.byline} onInput={(e) => setCard({ ...card, byline: e.currentTarget.value })} />
        </Field>
        <Field label="Photo asset id (optional)" hint="Its analysed faces stay in frame">
          <input
            value={card.photoAssetId}
            onInput={(e) => setCard({ ...card, photoAssetId: e.currentTarget.value })}
          />
        </Field>
        <fieldset>
          <legend>Sizes</legend>
          {(['OG', 'SQUARE', 'PORTRAIT', 'STORY'] as CardFormat[]).map((f) => (
            <label key={f}>
              <input type="checkbox" checked={formats.includes(f)} onChange={() => toggle(f)} />{' '}
              {f.toLowerCase()}
            </label>
          ))}
        </fieldset>
        <Button kind="primary" type="submit" busy={makeCards.busy}>
          Make cards
        </Button>
        {makeCards.error != null && <ErrorNote error={makeCards.error} />}
      </form>
      <form class="card" onSubmit={(e) => (e.preventDefault(), void makeChart.run())}>
        <h2>Chart</h2>
        <Field label="Kind">
          <select
            value={chart.kind}
            onChange={(e) => setChart({ ...chart, kind: e.currentTarget.value as ChartKind })}
          >
            <option value="COLUMN">Column</option>
            <option value="BAR">Bar</option>
            <option value="LINE">Line</option>
          </select>
        </Field>
        <Field label="Title">
          <input
            value={chart.title}
            onInput={(e) => setChart({ ...chart, title: e.currentTarget.value })}
            required
          />
        </Field>
        <Field label="Source">
          <input
            value={chart.source}
            onInput={(e) => setChart({ ...chart, source: e.currentTarget.value })}
            required
          />
        </Field>
        <Field label="Unit (optional)">
          <input value={chart.unit} onInput={(e) => setChart({ ...chart, unit: e.currentTarget.value })} />
        </Field>
        <Field
          label="Table"
          hint="A header line, then one row a line; cells separated by tabs, semicolons or commas"
        >
          <textarea
            rows={5}
            value={chart.table}
            onInput={(e) => setChart({ ...chart, table: e.currentTarget.value })}
            required
          />
        </Field>
        <Button kind="primary" type="submit" busy={makeChart.busy}>
          Make chart
        </Button>
        {makeChart.error != null && <ErrorNote error={makeChart.error} />}
      </form>
      {imageModel && (
        <form class="card" onSubmit={(e) => (e.preventDefault(), void makeImage.run())}>
          <h2>Generated image</h2>
          <Field
            label="Prompt"
            hint={`Made by ${imageModel}, checked by the moderation model, labelled AI-generated`}
          >
            <textarea rows={3} value={prompt} onInput={(e) => setPrompt(e.currentTarget.value)} required />
          </Field>
          <Button kind="primary" type="submit" busy={makeImage.busy}>
            Generate
          </Button>
          {makeImage.error != null && <ErrorNote error={makeImage.error} />}
        </form>
      )}
    </div>
  );
}

export default function GraphicsPage() {
  const [type, setType] = useState<GraphicType | ''>('');
  const [jobs, setJobs] = useState<JobState[]>([]);
  const [more, setMore] = useState<{
    rows: GraphicRowFragment[];
    next: string | null;
    hasNext: boolean;
  } | null>(null);
  const list = useAsync(() => {
    setMore(null);
    return send(LIST, { type: type || null, first: 24 });
  }, [type]);
  const loadMore = useAction(async () => {
    const after = more ? more.next : (list.data?.graphics.pageInfo.endCursor ?? null);
    const page = (await send(LIST, { type: type || null, first: 24, after })).graphics;
    setMore({
      rows: [...(more?.rows ?? []), ...page.edges.map((e) => e.node)],
      next: page.pageInfo.endCursor,
      hasNext: page.pageInfo.hasNextPage,
    });
  });
  const addJob = (job: JobState) => setJobs([job, ...jobs]);
  const rows = [...(list.data?.graphics.edges.map((e) => e.node) ?? []), ...(more?.rows ?? [])];
  return (
    <section>
      <PageHeader title="Graphics" />
      {list.data && canEdit() && (
        <MakeForms imageModel={list.data.graphicsOptions.imageModel} onJob={addJob} />
      )}
      {jobs.map((j) => (
        <JobLine key={j.id} job={j} onEnd={() => list.reload()} />
      ))}
      <p>
        <label>
          Show{' '}
          <select value={type} onChange={(e) => setType(e.currentTarget.value as GraphicType | '')}>
            {TYPES.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        </label>{' '}
        {list.data && <span class="muted">{list.data.graphics.totalCount} in all</span>}
      </p>
      {list.error != null && <ErrorNote error={list.error} />}
      {list.loading && !list.data && <Loading />}
      <ul class="graphic-grid">
        {rows.map((g) => (
          <GraphicTile key={g.id} g={g} onNew={addJob} />
        ))}
      </ul>
      <MoreButton
        hasMore={more ? more.hasNext : !!list.data?.graphics.pageInfo.hasNextPage}
        busy={loadMore.busy}
        onMore={() => void loadMore.run()}
      />
      {list.data && <p class="small muted">Cards and charts set {list.data.graphicsOptions.scripts}.</p>}
    </section>
  );
}
