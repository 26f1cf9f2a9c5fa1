import { describe, expect, it } from 'vitest';
import {
  addCorrection,
  buildFaceIndex,
  clusterFaces,
  enrolFaces,
  matchFace,
  mergeClusters,
  mergePeople,
  nameCluster,
  nearestCluster,
  rankCandidates,
  splitCluster,
  splitPerson,
  type PeopleRegistry,
} from '../src/index.js';

/** Deterministic 128-d vectors: a person is a centre; their faces are small perturbations of it. */
function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  };
}
function centre(seed: number): number[] {
  const r = rng(seed);
  return Array.from({ length: 128 }, () => r() * 0.2);
}
function faceOf(c: number[], seed: number, spread = 0.018): number[] {
  const r = rng(seed + 1000);
  return c.map((v) => v + r() * spread * 2);
}
const dist = (a: number[], b: number[]) => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0));

const ann = centre(1);
const bob = centre(2);
const cat = centre(3);

const registry: PeopleRegistry = {
  people: [
    {
      personId: 'p-ann',
      name: 'Ann',
      exemplars: [
        { faceId: 'f1', descriptor: faceOf(ann, 1) },
        { faceId: 'f2', descriptor: faceOf(ann, 2) },
      ],
    },
    { personId: 'p-bob', name: 'Bob', exemplars: [{ faceId: 'f3', descriptor: faceOf(bob, 3) }] },
  ],
};

describe('face matching against a registry', () => {
  it('the synthetic people are as far apart as real different people', () => {
    expect(dist(faceOf(ann, 5), faceOf(ann, 6))).toBeLessThan(0.4);
    expect(dist(ann, bob)).toBeGreaterThan(0.7);
  });

  it('matches the nearest person within 0.6 and returns the distance', () => {
    const index = buildFaceIndex(registry);
    const match = matchFace(index, faceOf(ann, 7));
    expect(match).toMatchObject({ personId: 'p-ann', name: 'Ann' });
    expect(match!.distance).toBeLessThan(0.6);
    expect(['f1', 'f2']).toContain(match!.exemplarFaceId);
    expect(matchFace(index, faceOf(cat, 8))).toBeNull();
  });

  it('respects the threshold', () => {
    const index = buildFaceIndex(registry);
    const probe = faceOf(ann, 9);
    const d = rankCandidates(index, probe)[0]!.distance;
    expect(matchFace(index, probe, { threshold: d - 0.01 })).toBeNull();
    expect(matchFace(index, probe, { threshold: d + 0.01 })).not.toBeNull();
  });

  it('a face rejected for a person never matches them again, by face id or by descriptor', () => {
    const wrong = faceOf(ann, 10);
    const corrected = addCorrection(registry, {
      personId: 'p-ann',
      verdict: 'rejected',
      descriptor: wrong,
      faceId: 'f10',
    });
    const index = buildFaceIndex(corrected);
    expect(matchFace(buildFaceIndex(registry), wrong)?.personId).toBe('p-ann');
    expect(matchFace(index, wrong, { faceId: 'f10' })).toBeNull();
    // The same face detected again (new id, nearly the same descriptor) is still not Ann.
    expect(
      matchFace(
        index,
        wrong.map((v) => v + 0.0005),
      ),
    ).toBeNull();
    expect(rankCandidates(index, wrong)[0]).toMatchObject({
      personId: 'p-ann',
      excluded: 'closer-to-rejected',
    });
    // Ann's other faces still match her.
    expect(matchFace(index, registry.people[0]!.exemplars[0]!.descriptor as number[])?.personId).toBe(
      'p-ann',
    );
  });

  it('a rejection also removes that face from the exemplars, and the latest verdict on a face wins', () => {
    let r = addCorrection(registry, {
      personId: 'p-ann',
      verdict: 'rejected',
      descriptor: registry.people[0]!.exemplars[0]!.descriptor,
      faceId: 'f1',
    });
    expect(buildFaceIndex(r).people[0]!.positives).toHaveLength(1);
    r = addCorrection(r, {
      personId: 'p-ann',
      verdict: 'confirmed',
      descriptor: registry.people[0]!.exemplars[0]!.descriptor,
      faceId: 'f1',
    });
    expect(buildFaceIndex(r).people[0]!.positives.length).toBeGreaterThanOrEqual(2);
  });

  it('a confirmed face becomes an extra exemplar', () => {
    // A face of Bob far enough from his only exemplar not to match.
    const far = faceOf(bob, 11, 0.1);
    const index = buildFaceIndex(registry);
    expect(rankCandidates(index, far)[0]!.distance).toBeGreaterThan(0.6);
    expect(matchFace(index, far)).toBeNull();
    const confirmed = addCorrection(registry, {
      personId: 'p-bob',
      verdict: 'confirmed',
      descriptor: far,
      faceId: 'f11',
    });
    expect(matchFace(buildFaceIndex(confirmed), far)).toMatchObject({ personId: 'p-bob', distance: 0 });
  });
});

describe('clustering unknown faces', () => {
  const faces = [
    ...[1, 2, 3, 4].map((i) => ({ faceId: `a${i}`, descriptor: faceOf(ann, 20 + i) })),
    ...[1, 2, 3].map((i) => ({ faceId: `b${i}`, descriptor: faceOf(bob, 30 + i) })),
    ...[1, 2].map((i) => ({ faceId: `c${i}`, descriptor: faceOf(cat, 40 + i) })),
    { faceId: 'lonely', descriptor: centre(99) },
  ];

  it('groups faces of the same person and leaves singletons unclustered', () => {
    const shuffled = [
      faces[5]!,
      faces[0]!,
      faces[9]!,
      faces[7]!,
      faces[2]!,
      faces[4]!,
      faces[1]!,
      faces[8]!,
      faces[3]!,
      faces[6]!,
    ];
    const { clusters, unclustered } = clusterFaces(shuffled);
    expect(clusters.map((c) => [...c.faceIds].sort())).toEqual([
      ['a1', 'a2', 'a3', 'a4'],
      ['b1', 'b2', 'b3'],
      ['c1', 'c2'],
    ]);
    expect(unclustered).toEqual(['lonely']);
    expect(clusters[0]!.clusterId).toBe('a1');
    expect(clusters[0]!.centroid).toHaveLength(128);
    expect(clusters[0]!.spread).toBeGreaterThan(0);
  });

  it('a tight threshold splits everyone apart; minClusterSize 1 keeps singletons as clusters', () => {
    expect(clusterFaces(faces, { threshold: 0.01 }).clusters).toHaveLength(0);
    expect(clusterFaces(faces, { minClusterSize: 1 }).clusters).toHaveLength(4);
  });

  it('merge, split, and place a new face into an existing cluster', () => {
    const { clusters } = clusterFaces(faces);
    const merged = mergeClusters(faces, [clusters[1]!, clusters[2]!]);
    expect(merged.faceIds.sort()).toEqual(['b1', 'b2', 'b3', 'c1', 'c2']);
    const { remaining, split } = splitCluster(faces, merged, ['c1', 'c2']);
    expect(remaining!.faceIds.sort()).toEqual(['b1', 'b2', 'b3']);
    expect(split.faceIds.sort()).toEqual(['c1', 'c2']);
    expect(() => splitCluster(faces, merged, ['a1'])).toThrow(RangeError);
    expect(nearestCluster(faceOf(bob, 77), clusters)?.clusterId).toBe('b1');
    expect(nearestCluster(centre(55), clusters)).toBeNull();
  });

  it('naming a cluster enrols all its faces so later faces of that person match', () => {
    const { clusters } = clusterFaces(faces);
    const catCluster = clusters.find((c) => c.faceIds.includes('c1'))!;
    const named = nameCluster(
      registry,
      faces.filter((f) => catCluster.faceIds.includes(f.faceId)),
      { personId: 'p-cat', name: 'Cat' },
    );
    expect(matchFace(buildFaceIndex(named), faceOf(cat, 50))?.name).toBe('Cat');
    expect(registry.people).toHaveLength(2);
  });
});

describe('registry operations', () => {
  it('merges two people, moving exemplars and corrections', () => {
    const withCorrection = addCorrection(registry, {
      personId: 'p-bob',
      verdict: 'rejected',
      descriptor: centre(7),
      faceId: 'x',
    });
    const merged = mergePeople(withCorrection, 'p-bob', 'p-ann');
    expect(merged.people.map((p) => p.personId)).toEqual(['p-ann']);
    expect(merged.people[0]!.exemplars.map((e) => e.faceId)).toEqual(['f1', 'f2', 'f3']);
    expect(merged.corrections![0]!.personId).toBe('p-ann');
  });

  it('splits faces off a person into another and rejects them from the source', () => {
    const mixed = enrolFaces(registry, { personId: 'p-ann', name: 'Ann' }, [
      { faceId: 'f9', descriptor: faceOf(cat, 9) },
    ]);
    expect(mixed.people[0]!.exemplars).toHaveLength(3);
    const split = splitPerson(mixed, 'p-ann', ['f9'], { personId: 'p-cat', name: 'Cat' });
    expect(split.people.find((p) => p.personId === 'p-ann')!.exemplars.map((e) => e.faceId)).toEqual([
      'f1',
      'f2',
    ]);
    expect(split.people.find((p) => p.personId === 'p-cat')!.exemplars.map((e) => e.faceId)).toEqual(['f9']);
    const index = buildFaceIndex(split);
    expect(matchFace(index, faceOf(cat, 12))?.personId).toBe('p-cat');
    expect(split.corrections).toEqual([
      expect.objectContaining({ personId: 'p-ann', verdict: 'rejected', faceId: 'f9' }),
    ]);
    expect(() => splitPerson(mixed, 'p-ann', ['nope'], { personId: 'p-x', name: 'X' })).toThrow(RangeError);
  });

  it('enrolling the same face twice keeps one exemplar; unknown people are refused', () => {
    const again = enrolFaces(registry, { personId: 'p-bob', name: 'Bob' }, [
      { faceId: 'f3', descriptor: [] },
    ]);
    expect(again.people[1]!.exemplars).toHaveLength(1);
    expect(() =>
      addCorrection(registry, { personId: 'nobody', verdict: 'confirmed', descriptor: [] }),
    ).toThrow(RangeError);
  });
});
