import type { FaceCorrection, FaceExemplar, PeopleRegistry, RegistryPerson } from './recognition.js';

/*
 * Pure operations on a people registry. The platform stores the registry; these
 * return a new registry and never mutate their input.
 */

function clonePerson(person: RegistryPerson): RegistryPerson {
  return { ...person, exemplars: [...person.exemplars] };
}

function findPerson(registry: PeopleRegistry, personId: string): RegistryPerson {
  const person = registry.people.find((p) => p.personId === personId);
  if (!person) throw new RangeError(`Unknown person ${personId}`);
  return person;
}

/** Appends an editor's verdict (confirmed faces become exemplars when the index is built). */
export function addCorrection(registry: PeopleRegistry, correction: FaceCorrection): PeopleRegistry {
  findPerson(registry, correction.personId);
  return { ...registry, corrections: [...(registry.corrections ?? []), correction] };
}

/** Adds faces to a person, creating the person when the id is new; faces already there (same faceId) are skipped. */
export function enrolFaces(
  registry: PeopleRegistry,
  person: { personId: string; name: string },
  faces: FaceExemplar[],
): PeopleRegistry {
  const existing = registry.people.find((p) => p.personId === person.personId);
  const target: RegistryPerson = existing
    ? clonePerson(existing)
    : { personId: person.personId, name: person.name, exemplars: [] };
  const known = new Set(target.exemplars.flatMap((e) => (e.faceId === undefined ? [] : [e.faceId])));
  for (const face of faces) {
    if (face.faceId !== undefined && known.has(face.faceId)) continue;
    target.exemplars.push(face);
    if (face.faceId !== undefined) known.add(face.faceId);
  }
  const people = existing
    ? registry.people.map((p) => (p.personId === person.personId ? target : p))
    : [...registry.people, target];
  return { ...registry, people };
}

/** An editor names a cluster of unknown faces once: all of them become exemplars of that person. */
export function nameCluster(
  registry: PeopleRegistry,
  faces: Array<{ faceId: string; descriptor: FaceExemplar['descriptor'] }>,
  person: { personId: string; name: string },
): PeopleRegistry {
  return enrolFaces(registry, person, faces);
}

/**
 * Two records turned out to be one person: the source's exemplars and
 * corrections move to the target and the source disappears. A face rejected
 * for either stays rejected for the merged person.
 */
export function mergePeople(registry: PeopleRegistry, sourceId: string, targetId: string): PeopleRegistry {
  if (sourceId === targetId) return registry;
  const source = findPerson(registry, sourceId);
  const target = findPerson(registry, targetId);
  const merged = enrolFaces({ people: [target] }, target, source.exemplars).people[0]!;
  return {
    people: registry.people
      .filter((p) => p.personId !== sourceId)
      .map((p) => (p.personId === targetId ? merged : p)),
    corrections: (registry.corrections ?? []).map((c) =>
      c.personId === sourceId ? { ...c, personId: targetId } : c,
    ),
  };
}

/**
 * Some faces of a person belong to someone else: they move to `into` (created
 * if new) and, unless `rejectFromSource` is false, are recorded as rejected for
 * the source so that they and their look-alikes stop matching it.
 */
export function splitPerson(
  registry: PeopleRegistry,
  personId: string,
  faceIds: string[],
  into: { personId: string; name: string },
  options: { rejectFromSource?: boolean } = {},
): PeopleRegistry {
  if (into.personId === personId) throw new RangeError('Cannot split a person into themself');
  const source = findPerson(registry, personId);
  const moving = new Set(faceIds);
  const moved = source.exemplars.filter((e) => e.faceId !== undefined && moving.has(e.faceId));
  if (moved.length !== moving.size) {
    const found = new Set(moved.map((e) => e.faceId));
    throw new RangeError(
      `Faces not among ${personId}'s exemplars: ${faceIds.filter((id) => !found.has(id)).join(', ')}`,
    );
  }
  const remaining: RegistryPerson = {
    ...source,
    exemplars: source.exemplars.filter((e) => !(e.faceId !== undefined && moving.has(e.faceId))),
  };
  let next: PeopleRegistry = {
    ...registry,
    people: registry.people.map((p) => (p.personId === personId ? remaining : p)),
  };
  next = enrolFaces(next, into, moved);
  if (options.rejectFromSource !== false) {
    const rejections: FaceCorrection[] = moved.map((e) => ({
      personId,
      verdict: 'rejected',
      descriptor: e.descriptor,
      faceId: e.faceId!,
    }));
    next = { ...next, corrections: [...(next.corrections ?? []), ...rejections] };
  }
  return next;
}
