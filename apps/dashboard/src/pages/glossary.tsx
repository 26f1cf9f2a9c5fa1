import { useState } from 'preact/hooks';
import { send } from '../api/client.js';
import { graphql } from '../gql/gql.js';
import type { RenderDraftMutation, TemplateRowFragment } from '../gql/graphql.js';
import { canEdit } from '../session.js';
import type { PageProps } from '../shell.js';
import { announce } from '../ui/announce.js';
import { Button, ErrorNote, Field, Loading, PageHeader } from '../ui/components.js';
import { useAction, useAsync, useDebounced } from '../ui/hooks.js';

interface Term {
  id: string;
  term: string;
  language: string;
  preferredSpelling: string | null;
  doNotTranslate: boolean;
  translations: Record<string, string>;
  pronunciation: string | null;
  notes: string | null;
}
const TERMS = graphql(`
  query GlossaryTerms($s: String) {
    glossaryTerms(first: 100, search: $s) {
      totalCount
      edges {
        node {
          id
          term
          language
          preferredSpelling
          doNotTranslate
          translations
          pronunciation
          notes
          updatedAt
        }
      }
    }
  }
`);
const DELETE_TERM = graphql(`
  mutation DeleteGlossaryTerm($id: ID!) {
    deleteGlossaryTerm(id: $id)
  }
`);
const SAVE_TERM = graphql(`
  mutation UpsertGlossaryTerm($input: GlossaryTermInput!) {
    upsertGlossaryTerm(input: $input) {
      id
    }
  }
`);
graphql(`
  fragment TemplateRow on DraftTemplate {
    id
    name
    kind
    body
    description
    version
    updatedAt
  }
`);
const TEMPLATES = graphql(`
  query DraftTemplates {
    draftTemplates(first: 100) {
      edges {
        node {
          ...TemplateRow
        }
      }
    }
  }
`);
const DELETE_TEMPLATE = graphql(`
  mutation DeleteDraftTemplate($id: ID!) {
    deleteDraftTemplate(id: $id)
  }
`);
const SAVE_TEMPLATE = graphql(`
  mutation UpsertDraftTemplate($name: String!, $kind: String!, $body: String!, $description: String) {
    upsertDraftTemplate(name: $name, kind: $kind, body: $body, description: $description) {
      id
    }
  }
`);
const RENDER = graphql(`
  mutation RenderDraft($template: String!, $data: JSON!) {
    renderDraft(template: $template, data: $data) {
      text
      provenance {
        path
      }
      untraced {
        text
      }
      item {
        id
        status
        engine
      }
    }
  }
`);

export default function GlossaryPage(_: PageProps) {
  return (
    <>
      <PageHeader title="Glossary & templates" />
      <div class="grid2">
        <Glossary />
        <Templates />
      </div>
    </>
  );
}

const toText = (t: Record<string, string>) =>
  Object.entries(t ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
function fromText(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of s.split(/[;\n]/)) {
    const m = /^\s*([a-z]{2,3})\s*[=:]\s*(.+?)\s*$/.exec(part);
    if (m) out[m[1]] = m[2];
    else if (part.trim())
      throw new Error(`"${part.trim()}" is not "language=translation", e.g. es=Casa Blanca`);
  }
  return out;
}

function Glossary() {
  const [search, setSearch] = useState('');
  const q = useDebounced(search);
  const terms = useAsync(() => send(TERMS, { s: q || null }).then((d) => d.glossaryTerms), [q]);
  const [editing, setEditing] = useState<Partial<Term> | null>(null);
  const del = useAction(async (t: Term) => {
    if (!confirm(`Delete "${t.term}" from the glossary?`)) return;
    await send(DELETE_TERM, { id: t.id });
    announce('Term deleted');
    terms.reload();
  });
  return (
    <section aria-labelledby="gl-h">
      <h2 id="gl-h">Newsroom glossary</h2>
      <p class="muted">
        Spellings, do-not-translate names, required translations and pronunciations, used by every AI area.
      </p>
      <div class="row">
        <Field label="Find a term">
          <input type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
        </Field>
        {canEdit() && (
          <Button kind="primary" onClick={() => setEditing({})}>
            Add a term
          </Button>
        )}
      </div>
      {editing && (
        <TermForm
          initial={editing}
          onDone={() => {
            setEditing(null);
            terms.reload();
          }}
        />
      )}
      <ErrorNote error={terms.error ?? del.error} />
      {!terms.data ? (
        <Loading />
      ) : !terms.data.edges.length ? (
        <p class="muted">No terms{q ? ' match' : ' yet'}.</p>
      ) : (
        <div class="table-wrap">
          <table class="list stack">
            <thead>
              <tr>
                <th>Term</th>
                <th>Language</th>
                <th>Rules</th>
                <th>Actions</th>
              </tr>
            </thead>
            <tbody>
              {terms.data.edges.map(({ node: t }) => (
                <tr key={t.id}>
                  <td>
                    <strong>{t.term}</strong>
                    {t.notes && <div class="muted small">{t.notes}</div>}
                  </td>
                  <td data-label="Language">{t.language || 'any'}</td>
                  <td data-label="Rules">
                    {t.doNotTranslate && <div>do not translate</div>}
                    {t.preferredSpelling && <div>spell: {t.preferredSpelling}</div>}
                    {Object.keys(t.translations ?? {}).length > 0 && (
                      <div>translate: {toText(t.translations)}</div>
                    )}
                    {t.pronunciation && <div>say: {t.pronunciation}</div>}
                  </td>
                  <td data-label="Actions">
                    {canEdit() && (
                      <div class="row">
                        <Button onClick={() => setEditing(t)} aria-label={`Edit ${t.term}`}>
                          Edit
                        </Button>
                        <Button kind="danger" onClick={() => void del.run(t)} aria-label={`Delete ${t.term}`}>
                          Delete
                        </Button>
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function TermForm({ initial, onDone }: { initial: Partial<Term>; onDone: () => void }) {
  const [f, setF] = useState({
    term: initial.term ?? '',
    language: initial.language ?? '',
    preferredSpelling: initial.preferredSpelling ?? '',
    doNotTranslate: initial.doNotTranslate ?? false,
    translations: toText(initial.translations ?? {}),
    pronunciation: initial.pronunciation ?? '',
    notes: initial.notes ?? '',
  });
  const act = useAction(async () => {
    const input = {
      term: f.term.trim(),
      language: f.language.trim(),
      preferredSpelling: f.preferredSpelling.trim() || null,
      doNotTranslate: f.doNotTranslate,
      translations: fromText(f.translations),
      pronunciation: f.pronunciation.trim() || null,
      notes: f.notes.trim() || null,
    };
    await send(SAVE_TERM, { input });
    announce('Term saved');
    onDone();
  });
  const set = (k: keyof typeof f) => (e: { currentTarget: { value: string } }) =>
    setF({ ...f, [k]: e.currentTarget.value });
  return (
    <form
      class="card"
      aria-label="Glossary term"
      onSubmit={(e) => {
        e.preventDefault();
        void act.run();
      }}
    >
      <div class="row">
        <Field label="Term">
          <input required value={f.term} onInput={set('term')} disabled={!!initial.id} />
        </Field>
        <Field label="Language" hint="Empty for any">
          <input size={5} value={f.language} onInput={set('language')} disabled={!!initial.id} />
        </Field>
      </div>
      <label class="check">
        <input
          type="checkbox"
          checked={f.doNotTranslate}
          onChange={(e) => setF({ ...f, doNotTranslate: e.currentTarget.checked })}
        />{' '}
        Do not translate
      </label>
      <Field label="Preferred spelling">
        <input value={f.preferredSpelling} onInput={set('preferredSpelling')} />
      </Field>
      <Field
        label="Required translations"
        hint="language=translation, separated by ;  e.g. es=Casa Blanca; fr=Maison Blanche"
      >
        <input value={f.translations} onInput={set('translations')} />
      </Field>
      <Field label="Pronunciation" hint='CMU phones, e.g. "K EH1 N AH0 D IY0"'>
        <input value={f.pronunciation} onInput={set('pronunciation')} />
      </Field>
      <Field label="Notes">
        <input value={f.notes} onInput={set('notes')} />
      </Field>
      <ErrorNote error={act.error} />
      <div class="row">
        <Button kind="primary" type="submit" busy={act.busy}>
          Save term
        </Button>
        <Button onClick={onDone}>Cancel</Button>
      </div>
    </form>
  );
}

type Template = TemplateRowFragment;

function Templates() {
  const list = useAsync(() => send(TEMPLATES).then((d) => d.draftTemplates.edges.map((e) => e.node)), []);
  const [editing, setEditing] = useState<Partial<Template> | null>(null);
  const del = useAction(async (t: Template) => {
    if (!confirm(`Delete the template "${t.name}"?`)) return;
    await send(DELETE_TEMPLATE, { id: t.id });
    list.reload();
  });
  return (
    <section aria-labelledby="tpl-h">
      <h2 id="tpl-h">Draft templates</h2>
      {
        <>
          {canEdit() && (
            <Button kind="primary" onClick={() => setEditing({})}>
              New template
            </Button>
          )}
          {editing && (
            <TemplateForm
              initial={editing}
              onDone={() => {
                setEditing(null);
                list.reload();
              }}
            />
          )}
          {list.data && list.data.length > 0 && <RenderDraft templates={list.data} />}
          <ErrorNote error={list.error ?? del.error} />
          {!list.data ? (
            <Loading />
          ) : (
            list.data.map((t) => (
              <article class="card" key={t.id}>
                <strong>{t.name}</strong> <span class="muted">{t.kind}</span>{' '}
                {t.version && <span class="muted">v{t.version}</span>}
                {t.description && <p>{t.description}</p>}
                <details>
                  <summary>Template text</summary>
                  <pre class="json">{t.body}</pre>
                </details>
                {canEdit() && (
                  <div class="row">
                    <Button onClick={() => setEditing(t)}>Edit</Button>
                    <Button kind="danger" onClick={() => void del.run(t)}>
                      Delete
                    </Button>
                  </div>
                )}
              </article>
            ))
          )}
        </>
      }
    </section>
  );
}

function TemplateForm({ initial, onDone }: { initial: Partial<Template>; onDone: () => void }) {
  const [f, setF] = useState({
    name: initial.name ?? '',
    kind: initial.kind ?? 'sports',
    body: initial.body ?? '',
    description: initial.description ?? '',
  });
  const act = useAction(async () => {
    await send(SAVE_TEMPLATE, {
      name: f.name,
      kind: f.kind,
      body: f.body,
      description: f.description || null,
    });
    announce('Template saved');
    onDone();
  });
  const set = (k: keyof typeof f) => (e: { currentTarget: { value: string } }) =>
    setF({ ...f, [k]: e.currentTarget.value });
  return (
    <form
      class="card"
      aria-label="Draft template"
      onSubmit={(e) => {
        e.preventDefault();
        void act.run();
      }}
    >
      <Field label="Name">
        <input required value={f.name} onInput={set('name')} />
      </Field>
      <Field label="Kind" hint="sports, earnings, election, weather …">
        <input required value={f.kind} onInput={set('kind')} />
      </Field>
      <Field label="Description">
        <input value={f.description} onInput={set('description')} />
      </Field>
      <Field label="Template">
        <textarea required rows={8} value={f.body} onInput={set('body')} />
      </Field>
      <ErrorNote error={act.error} />
      <div class="row">
        <Button kind="primary" type="submit" busy={act.busy}>
          Save template
        </Button>
        <Button onClick={onDone}>Cancel</Button>
      </div>
    </form>
  );
}

type DraftResult = RenderDraftMutation['renderDraft'];

/** Writes a draft from data with a template: the text, and where its numbers came from. */
function RenderDraft({ templates }: { templates: Template[] }) {
  const [template, setTemplate] = useState(templates[0]?.name ?? '');
  const [data, setData] = useState('{}');
  const [draft, setDraft] = useState<DraftResult | null>(null);
  const act = useAction(async () => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      throw new Error('The data is not valid JSON, e.g. {"team": "Lions", "score": 3}');
    }
    setDraft((await send(RENDER, { template, data: parsed })).renderDraft);
    announce('Draft written');
  });
  return (
    <details class="card">
      <summary>Write a draft from data</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void act.run();
        }}
      >
        <Field label="Template">
          <select value={template} onChange={(e) => setTemplate(e.currentTarget.value)}>
            {templates.map((t) => (
              <option key={t.id} value={t.name}>
                {t.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Data (JSON)">
          <textarea rows={5} value={data} onInput={(e) => setData(e.currentTarget.value)} />
        </Field>
        <ErrorNote error={act.error} />
        <Button type="submit" busy={act.busy}>
          Write the draft
        </Button>
      </form>
      {draft && (
        <div>
          <p style={{ whiteSpace: 'pre-wrap' }}>{draft.text}</p>
          <p class="muted small">
            {draft.provenance?.length ?? 0} numbers traced to the data
            {draft.untraced?.length ? `, ${draft.untraced.length} not traced — check them` : ''}. The draft
            waits on the Review page.
          </p>
        </div>
      )}
    </details>
  );
}
