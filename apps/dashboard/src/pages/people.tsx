import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { send } from '../api/client.js';
import { graphql } from '../gql/gql.js';
import type { FaceRowFragment } from '../gql/graphql.js';
import { canEdit } from '../session.js';
import type { PageProps } from '../shell.js';
import { announce } from '../ui/announce.js';
import { Button, ErrorNote, Field, Loading, PageHeader } from '../ui/components.js';
import { useAction, useAsync, useDebounced } from '../ui/hooks.js';
import { FaceCrop } from '../ui/face.js';
import { FaceActions } from '../ui/face-actions.js';
import { JobLine, type JobState } from '../ui/job.js';
import { Link } from '../ui/router.js';

interface Person {
  id: string;
  name: string;
  notes: string | null;
  faceCount: number;
}
type Face = FaceRowFragment;

graphql(`
  fragment FaceRow on Face {
    id
    assetId
    assignment
    notAFace
    box {
      x
      y
      width
      height
    }
    person {
      id
      name
    }
  }
`);
const PEOPLE = graphql(`
  query People($s: String) {
    people(first: 100, search: $s) {
      totalCount
      edges {
        node {
          id
          name
          notes
          faceCount
        }
      }
    }
  }
`);
const REFRESH = graphql(`
  mutation RefreshFaces {
    refreshFaces {
      ...JobState
    }
  }
`);
const CREATE_PERSON = graphql(`
  mutation CreatePerson($n: String!) {
    createPerson(name: $n) {
      id
    }
  }
`);
const CLUSTERS = graphql(`
  query FaceClusters {
    faceClusters(first: 30) {
      totalCount
      edges {
        node {
          id
          size
          faces {
            ...FaceRow
          }
        }
      }
    }
  }
`);
const NAME_CLUSTER = graphql(`
  mutation NameFaceCluster($c: ID!, $p: ID, $n: String) {
    nameFaceCluster(clusterId: $c, personId: $p, name: $n) {
      id
      name
    }
  }
`);
const PERSON_FACES = graphql(`
  query PersonFaces($p: ID) {
    faces(first: 60, filter: { personId: $p }) {
      edges {
        node {
          ...FaceRow
        }
      }
    }
  }
`);
const RENAME = graphql(`
  mutation RenamePerson($id: ID!, $n: String!) {
    renamePerson(id: $id, name: $n) {
      id
    }
  }
`);
const MERGE = graphql(`
  mutation MergePeople($s: ID!, $t: ID!) {
    mergePeople(sourceId: $s, targetId: $t) {
      id
    }
  }
`);
const SPLIT = graphql(`
  mutation SplitPerson($p: ID!, $f: [ID!]!, $n: String) {
    splitPerson(personId: $p, faceIds: $f, intoName: $n) {
      id
    }
  }
`);
const DELETE = graphql(`
  mutation DeletePerson($id: ID!) {
    deletePerson(id: $id)
  }
`);

export default function PeoplePage(_: PageProps) {
  return (
    <>
      <PageHeader title="People" />
      <People />
    </>
  );
}

function People() {
  const [search, setSearch] = useState('');
  const q = useDebounced(search);
  const [version, setVersion] = useState(0);
  const bump = () => setVersion((v) => v + 1);
  const people = useAsync(
    () => send(PEOPLE, { s: q || null }).then((d) => d.people.edges.map((e) => e.node)),
    [q, version],
  );
  const [job, setJob] = useState<JobState | null>(null);
  const refresh = useAction(async () => {
    const d = await send(REFRESH);
    setJob(d.refreshFaces);
  });
  return (
    <div class="grid2">
      <section aria-labelledby="clusters-h">
        <h2 id="clusters-h">Unknown faces, grouped</h2>
        <p class="muted">
          Faces that look like the same person. Name a group once and its faces are recognised from then on.
        </p>
        {canEdit() && (
          <p>
            <Button onClick={() => void refresh.run()} busy={refresh.busy}>
              Match and group again
            </Button>
          </p>
        )}
        <ErrorNote error={refresh.error} />
        {job && <JobLine job={job} label="Matching faces" onEnd={bump} />}
        <Clusters people={people.data ?? []} version={version} onChanged={bump} />
      </section>
      <section aria-labelledby="people-h">
        <h2 id="people-h">People</h2>
        <Field label="Find a person">
          <input type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
        </Field>
        {canEdit() && <NewPerson onCreated={bump} />}
        <ErrorNote error={people.error} />
        {!people.data ? (
          <Loading />
        ) : people.data.length ? (
          people.data.map((p) => <PersonCard key={p.id} p={p} all={people.data!} onChanged={bump} />)
        ) : (
          <p class="muted">No people yet.</p>
        )}
      </section>
    </div>
  );
}

function NewPerson({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const act = useAction(async () => {
    await send(CREATE_PERSON, { n: name });
    setName('');
    announce('Person added');
    onCreated();
  });
  return (
    <form
      class="row"
      aria-label="Add a person"
      onSubmit={(e) => {
        e.preventDefault();
        void act.run();
      }}
    >
      <Field label="New person's name">
        <input value={name} onInput={(e) => setName(e.currentTarget.value)} required />
      </Field>
      <Button type="submit" busy={act.busy}>
        Add
      </Button>
      <ErrorNote error={act.error} />
    </form>
  );
}

function Clusters({
  people,
  version,
  onChanged,
}: {
  people: Person[];
  version: number;
  onChanged: () => void;
}) {
  const clusters = useAsync(
    () => send(CLUSTERS).then((d) => d.faceClusters.edges.map((e) => e.node)),
    [version],
  );
  if (clusters.error) return <ErrorNote error={clusters.error} />;
  if (!clusters.data) return <Loading />;
  return (
    <>
      {!clusters.data.length && <p class="muted">No groups of alike unknown faces.</p>}
      <Unassigned version={version} onChanged={onChanged} />
      {clusters.data.map((c) => (
        <ClusterCard key={c.id} c={c} people={people} onChanged={onChanged} />
      ))}
    </>
  );
}

const UNASSIGNED = graphql(`
  query UnassignedFaces {
    faces(first: 48, filter: { unassigned: true }) {
      totalCount
      edges {
        node {
          ...FaceRow
          clusterId
        }
      }
    }
  }
`);

/** Unknown faces outside any group (a group needs alike faces): each named, or dismissed, here. */
function Unassigned({ version, onChanged }: { version: number; onChanged: () => void }) {
  const faces = useAsync(
    () =>
      send(UNASSIGNED).then((d) => ({
        total: d.faces.totalCount,
        alone: d.faces.edges.map((e) => e.node).filter((f) => !f.clusterId),
      })),
    [version],
  );
  if (faces.error) return <ErrorNote error={faces.error} />;
  if (!faces.data?.alone.length) return null;
  return (
    <div class="card" data-testid="unassigned-faces">
      <h3>Unknown faces not in a group ({faces.data.alone.length})</h3>
      <p class="muted small">Name each one, or say it is not a face; open a face to see its photo.</p>
      <ul class="faces face-tiles">
        {faces.data.alone.map((f, i) => (
          <FaceTile key={f.id} f={f} who={`unknown face ${i + 1} not in a group`} onChanged={onChanged} />
        ))}
      </ul>
    </div>
  );
}

/** A face cut out of its photo (a link to it), with "name this person" and "not a face". */
function FaceTile({
  f,
  who,
  onChanged,
  children,
}: {
  f: Face;
  who: string;
  onChanged: () => void;
  children?: ComponentChildren;
}) {
  return (
    <li class="face-tile" data-face-id={f.id}>
      <Link to={`media/${f.assetId}`}>
        <FaceCrop faceId={f.id} label={`${who} (open its photo)`} />
      </Link>
      {children}
      <FaceActions face={f} who={who} onChanged={onChanged} compact />
    </li>
  );
}

function ClusterCard({
  c,
  people,
  onChanged,
}: {
  c: { id: string; size: number; faces: Face[] };
  people: Person[];
  onChanged: () => void;
}) {
  const [name, setName] = useState('');
  const [personId, setPersonId] = useState('');
  const act = useAction(async () => {
    await send(NAME_CLUSTER, { c: c.id, p: personId || null, n: personId ? null : name });
    announce('Group named');
    onChanged();
  });
  return (
    <div class="card" role="form" aria-label={`Group of ${c.size} faces`}>
      <ul class="faces face-tiles">
        {c.faces.map((f, i) => (
          <FaceTile key={f.id} f={f} who={`face ${i + 1} of a group of ${c.size}`} onChanged={onChanged} />
        ))}
      </ul>
      <p class="muted small">{c.size} faces</p>
      {canEdit() && (
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            void act.run();
          }}
        >
          <Field label="Name">
            <input value={name} onInput={(e) => setName(e.currentTarget.value)} disabled={!!personId} />
          </Field>
          <Field label="or an existing person">
            <select value={personId} onChange={(e) => setPersonId(e.currentTarget.value)}>
              <option value="">—</option>
              {people.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </Field>
          <Button type="submit" kind="primary" busy={act.busy} disabled={!name.trim() && !personId}>
            Name this group
          </Button>
        </form>
      )}
      <ErrorNote error={act.error} />
    </div>
  );
}

function PersonCard({ p, all, onChanged }: { p: Person; all: Person[]; onChanged: () => void }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(p.name);
  const [target, setTarget] = useState('');
  const [picked, setPicked] = useState<string[]>([]);
  const [splitName, setSplitName] = useState('');
  const faces = useAsync(
    () =>
      open
        ? send(PERSON_FACES, { p: p.id }).then((d) => d.faces.edges.map((e) => e.node))
        : Promise.resolve([]),
    [open, p.id, p.faceCount],
  );
  const act = useAction(async (what: 'rename' | 'merge' | 'split' | 'delete') => {
    if (what === 'rename') await send(RENAME, { id: p.id, n: name });
    if (what === 'merge') {
      if (
        !confirm(`Merge ${p.name} into ${all.find((x) => x.id === target)?.name}? ${p.name} will be removed.`)
      )
        return;
      await send(MERGE, { s: p.id, t: target });
    }
    if (what === 'split') await send(SPLIT, { p: p.id, f: picked, n: splitName });
    if (what === 'delete') {
      if (!confirm(`Delete ${p.name}? Their faces become unknown.`)) return;
      await send(DELETE, { id: p.id });
    }
    announce(
      { rename: 'Renamed', merge: 'Merged', split: 'Faces moved to a new person', delete: 'Deleted' }[what],
    );
    setPicked([]);
    onChanged();
  });
  return (
    <article class="card">
      <div class="row">
        <strong>{p.name}</strong> <span class="muted">{p.faceCount} faces</span>
        <Button aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Close' : 'Faces and changes'}
        </Button>
      </div>
      {open && (
        <>
          <ErrorNote error={faces.error} />
          <ul class="faces face-tiles">
            {faces.data?.map((f, i) => (
              <FaceTile
                key={f.id}
                f={f}
                who={`${p.name}, face ${i + 1} (${f.assignment ?? 'match'})`}
                onChanged={onChanged}
              >
                {canEdit() && (
                  <label class="check small">
                    <input
                      type="checkbox"
                      checked={picked.includes(f.id)}
                      onChange={(e) =>
                        setPicked(
                          e.currentTarget.checked ? [...picked, f.id] : picked.filter((x) => x !== f.id),
                        )
                      }
                    />{' '}
                    move
                  </label>
                )}
              </FaceTile>
            ))}
          </ul>
          {canEdit() && (
            <div>
              <div class="row">
                <Field label="Name">
                  <input value={name} onInput={(e) => setName(e.currentTarget.value)} />
                </Field>
                <Button onClick={() => void act.run('rename')} disabled={name === p.name || !name.trim()}>
                  Rename
                </Button>
              </div>
              <div class="row">
                <Field label="Merge into">
                  <select value={target} onChange={(e) => setTarget(e.currentTarget.value)}>
                    <option value="">—</option>
                    {all
                      .filter((x) => x.id !== p.id)
                      .map((x) => (
                        <option key={x.id} value={x.id}>
                          {x.name}
                        </option>
                      ))}
                  </select>
                </Field>
                <Button onClick={() => void act.run('merge')} disabled={!target}>
                  Merge
                </Button>
              </div>
              <div class="row">
                <Field label="Move the ticked faces to a new person named">
                  <input value={splitName} onInput={(e) => setSplitName(e.currentTarget.value)} />
                </Field>
                <Button onClick={() => void act.run('split')} disabled={!picked.length || !splitName.trim()}>
                  Split
                </Button>
              </div>
              <Button kind="danger" onClick={() => void act.run('delete')}>
                Delete person
              </Button>
            </div>
          )}
          <ErrorNote error={act.error} />
        </>
      )}
    </article>
  );
}
