import { useState } from 'preact/hooks';
import { send } from '../api/client.js';
import { graphql } from '../gql/gql.js';
import { canEdit } from '../session.js';
import { announce } from './announce.js';
import { Button, ErrorNote, Field } from './components.js';
import { useAction, useAsync } from './hooks.js';

/*
 * What an editor can say about any detected face, wherever it is shown (an image's page, People):
 * who it is (an existing person or a new name, nameFace) or that it is not a face at all (markNotAFace,
 * which takes it out of groups, matching and the people pages; "It is a face" takes that back).
 */

const PEOPLE_TO_NAME = graphql(`
  query PeopleToName {
    people(first: 100) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);
const NAME_FACE = graphql(`
  mutation NameFace($faceId: ID!, $personId: ID, $name: String) {
    nameFace(faceId: $faceId, personId: $personId, name: $name) {
      id
      person {
        id
        name
      }
    }
  }
`);
const NOT_A_FACE = graphql(`
  mutation MarkNotAFace($faceId: ID!, $notAFace: Boolean!) {
    markNotAFace(faceId: $faceId, notAFace: $notAFace) {
      id
      notAFace
    }
  }
`);

export interface ActionableFace {
  id: string;
  notAFace: boolean;
  person: { id: string; name: string } | null;
}

/**
 * "Name this person" (or "Someone else" for a named face) and "Not a face" for one face. `who` tells the
 * buttons apart for screen readers; `compact` fits them under a small crop.
 */
export function FaceActions({
  face,
  who,
  onChanged,
  compact = false,
}: {
  face: ActionableFace;
  who: string;
  onChanged: () => void;
  compact?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [personId, setPersonId] = useState('');
  const people = useAsync(
    () => (open ? send(PEOPLE_TO_NAME).then((d) => d.people.edges.map((e) => e.node)) : Promise.resolve([])),
    [open],
  );
  const naming = useAction(async () => {
    if (!personId && !name.trim()) throw new Error('Type a name, or choose a person.');
    await send(NAME_FACE, {
      faceId: face.id,
      personId: personId || null,
      name: personId ? null : name.trim(),
    });
    announce('Face named');
    setOpen(false);
    onChanged();
  });
  const marking = useAction(async (notAFace: boolean) => {
    await send(NOT_A_FACE, { faceId: face.id, notAFace });
    announce(notAFace ? 'Marked as not a face' : 'Counted as a face again');
    onChanged();
  });
  if (!canEdit()) return null;
  if (face.notAFace)
    return (
      <div class="row small-actions">
        <span class="muted small">Marked by an editor.</span>
        <Button
          busy={marking.busy}
          onClick={() => void marking.run(false)}
          aria-label={`It is a face after all (${who})`}
        >
          It is a face
        </Button>
        <ErrorNote error={marking.error} />
      </div>
    );
  return (
    <div class="face-actions">
      <div class="row small-actions">
        <Button
          aria-expanded={open}
          onClick={() => setOpen(!open)}
          aria-label={
            face.person && !compact ? `Someone else, not ${face.person.name}` : `Name this person (${who})`
          }
        >
          {compact ? 'Name' : face.person ? 'Someone else' : 'Name this person'}
        </Button>
        <Button busy={marking.busy} onClick={() => void marking.run(true)} aria-label={`Not a face (${who})`}>
          Not a face
        </Button>
      </div>
      {open && (
        <form
          class="row face-name"
          aria-label={`Who is this (${who})`}
          onSubmit={(e) => {
            e.preventDefault();
            void naming.run();
          }}
        >
          <Field label="Name">
            <input value={name} onInput={(e) => setName(e.currentTarget.value)} disabled={!!personId} />
          </Field>
          <Field label="or an existing person">
            <select value={personId} onChange={(e) => setPersonId(e.currentTarget.value)}>
              <option value="">—</option>
              {people.data?.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </Field>
          <Button type="submit" kind="primary" busy={naming.busy}>
            Save
          </Button>
        </form>
      )}
      <ErrorNote error={naming.error ?? marking.error ?? people.error} />
    </div>
  );
}
