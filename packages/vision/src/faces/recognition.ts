import type { Descriptor } from '../types.js';

/** Same person when the descriptor distance is below this (face-api's recognition net). */
export const DEFAULT_MATCH_THRESHOLD = 0.6;

export interface FaceExemplar {
  /** The platform's id of the face this descriptor came from, when there is one. */
  faceId?: string;
  descriptor: Descriptor;
}

export interface RegistryPerson {
  personId: string;
  name: string;
  exemplars: FaceExemplar[];
}

/**
 * An editor's verdict on a face. `confirmed` adds the face as an exemplar of
 * the person; `rejected` means this face is not this person and must never
 * match them again.
 */
export interface FaceCorrection {
  personId: string;
  verdict: 'confirmed' | 'rejected';
  descriptor: Descriptor;
  faceId?: string;
}

/** The people an organisation has named, as the platform stores them. */
export interface PeopleRegistry {
  people: RegistryPerson[];
  corrections?: FaceCorrection[];
}

export interface FaceMatch {
  personId: string;
  name: string;
  distance: number;
  /** The exemplar that matched, when it has an id. */
  exemplarFaceId?: string;
}

export interface CandidateScore extends FaceMatch {
  /** Why the person cannot match this face, if they cannot. */
  excluded?: 'face-rejected' | 'closer-to-rejected';
}

interface IndexedPerson {
  personId: string;
  name: string;
  positives: Array<{ descriptor: Float32Array; faceId?: string }>;
  negatives: Float32Array[];
  rejectedFaceIds: Set<string>;
}

/** A registry compiled for matching: exemplars plus corrections, resolved once. */
export interface FaceIndex {
  readonly people: ReadonlyArray<IndexedPerson>;
  readonly size: number;
}

export function euclideanDistance(a: Descriptor, b: Descriptor): number {
  if (a.length !== b.length) throw new RangeError(`Descriptor lengths differ: ${a.length} vs ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    sum += d * d;
  }
  return Math.sqrt(sum);
}

/**
 * Compiles a registry. For a face id with several corrections for one person,
 * the last one wins; a face rejected for a person is removed from that
 * person's exemplars even if it had been added as one.
 */
export function buildFaceIndex(registry: PeopleRegistry): FaceIndex {
  const latest = new Map<string, FaceCorrection>();
  const anonymous: FaceCorrection[] = [];
  for (const correction of registry.corrections ?? []) {
    if (correction.faceId === undefined) anonymous.push(correction);
    else latest.set(`${correction.personId}\u0000${correction.faceId}`, correction);
  }
  const corrections = [...anonymous, ...latest.values()];

  const people = registry.people.map<IndexedPerson>((person) => {
    const mine = corrections.filter((c) => c.personId === person.personId);
    const rejected = mine.filter((c) => c.verdict === 'rejected');
    const rejectedFaceIds = new Set(rejected.flatMap((c) => (c.faceId === undefined ? [] : [c.faceId])));
    const positives = [
      ...person.exemplars,
      ...mine
        .filter((c) => c.verdict === 'confirmed')
        .map((c) => ({ faceId: c.faceId, descriptor: c.descriptor })),
    ]
      .filter((e) => e.faceId === undefined || !rejectedFaceIds.has(e.faceId))
      .map((e) => ({ descriptor: Float32Array.from(e.descriptor), faceId: e.faceId }));
    return {
      personId: person.personId,
      name: person.name,
      positives,
      negatives: rejected.map((c) => Float32Array.from(c.descriptor)),
      rejectedFaceIds,
    };
  });
  return { people, size: people.reduce((n, p) => n + p.positives.length, 0) };
}

/**
 * Every person's nearest exemplar distance for one face, nearest first.
 * A person is excluded when the editor rejected this very face for them, or
 * when the face is at least as close to a face rejected for them as to any of
 * their exemplars (a negative nearest neighbour).
 */
export function rankCandidates(
  index: FaceIndex,
  descriptor: Descriptor,
  options: { faceId?: string } = {},
): CandidateScore[] {
  const query = Float32Array.from(descriptor);
  const ranked: CandidateScore[] = [];
  for (const person of index.people) {
    if (person.positives.length === 0) continue;
    let best = Infinity;
    let bestFaceId: string | undefined;
    for (const positive of person.positives) {
      const d = euclideanDistance(query, positive.descriptor);
      if (d < best) {
        best = d;
        bestFaceId = positive.faceId;
      }
    }
    let nearestNegative = Infinity;
    for (const negative of person.negatives)
      nearestNegative = Math.min(nearestNegative, euclideanDistance(query, negative));
    const candidate: CandidateScore = {
      personId: person.personId,
      name: person.name,
      distance: Math.round(best * 10000) / 10000,
    };
    if (bestFaceId !== undefined) candidate.exemplarFaceId = bestFaceId;
    if (options.faceId !== undefined && person.rejectedFaceIds.has(options.faceId))
      candidate.excluded = 'face-rejected';
    else if (nearestNegative <= best) candidate.excluded = 'closer-to-rejected';
    ranked.push(candidate);
  }
  return ranked.sort((a, b) => a.distance - b.distance);
}

/** Nearest person within the threshold (default 0.6), never one the face was rejected for; null when nobody is close enough. */
export function matchFace(
  index: FaceIndex,
  descriptor: Descriptor,
  options: { threshold?: number; faceId?: string } = {},
): FaceMatch | null {
  const threshold = options.threshold ?? DEFAULT_MATCH_THRESHOLD;
  const best = rankCandidates(index, descriptor, options).find((c) => c.excluded === undefined);
  if (!best || best.distance >= threshold) return null;
  const { excluded: _excluded, ...match } = best;
  return match;
}
