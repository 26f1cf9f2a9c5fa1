import type { Descriptor } from '../types.js';
import { euclideanDistance } from './recognition.js';

export interface FaceToCluster {
  faceId: string;
  descriptor: Descriptor;
}

export interface FaceCluster {
  /** The smallest face id in the cluster: stable while the cluster only grows with later ids. */
  clusterId: string;
  faceIds: string[];
  centroid: number[];
  /** Mean distance of the members to the centroid. */
  spread: number;
}

export interface ClusterOptions {
  /** Average-linkage distance up to which groups merge (default 0.5, stricter than the 0.6 match threshold). */
  threshold?: number;
  /** Groups smaller than this are returned as unclustered (default 2). */
  minClusterSize?: number;
}

export interface ClusteringResult {
  clusters: FaceCluster[];
  unclustered: string[];
}

/** Upper bound on faces per call: the distance matrix is n² floats. */
export const MAX_FACES_PER_CLUSTERING = 6000;

export function centroidOf(descriptors: Descriptor[]): number[] {
  if (descriptors.length === 0) return [];
  const sum = new Array<number>(descriptors[0]!.length).fill(0);
  for (const d of descriptors) for (let i = 0; i < sum.length; i++) sum[i]! += d[i]!;
  return sum.map((v) => v / descriptors.length);
}

/**
 * Groups unknown faces so that an editor can name each group once.
 * Agglomerative clustering with average linkage, cut at `threshold`, computed
 * with the nearest-neighbour chain algorithm (O(n²) time and memory).
 * Average linkage does not chain look-alikes the way single linkage (DBSCAN
 * with a small minPts) does.
 */
export function clusterFaces(faces: FaceToCluster[], options: ClusterOptions = {}): ClusteringResult {
  const threshold = options.threshold ?? 0.5;
  const minSize = options.minClusterSize ?? 2;
  const n = faces.length;
  if (n > MAX_FACES_PER_CLUSTERING)
    throw new RangeError(`At most ${MAX_FACES_PER_CLUSTERING} faces per clustering call, got ${n}`);
  if (new Set(faces.map((f) => f.faceId)).size !== n) throw new RangeError('Face ids must be unique');

  const dist = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = euclideanDistance(faces[i]!.descriptor, faces[j]!.descriptor);
      dist[i * n + j] = d;
      dist[j * n + i] = d;
    }
  }
  const size = new Array<number>(n).fill(1);
  const members: number[][] = faces.map((_, i) => [i]);
  const active = new Array<boolean>(n).fill(true);
  let activeCount = n;
  const groups: number[][] = [];

  const finalise = (i: number) => {
    active[i] = false;
    activeCount--;
    groups.push(members[i]!);
  };
  const nearest = (a: number, prefer: number): [number, number] => {
    let best = -1;
    let bestD = Infinity;
    for (let k = 0; k < n; k++) {
      if (k === a || !active[k]) continue;
      const d = dist[a * n + k]!;
      // Ties go to the previous chain element, which guarantees the chain terminates.
      if (d < bestD || (d === bestD && k === prefer)) {
        best = k;
        bestD = d;
      }
    }
    return [best, bestD];
  };

  const chain: number[] = [];
  while (activeCount > 0) {
    if (activeCount === 1) {
      finalise(active.indexOf(true));
      break;
    }
    if (chain.length === 0) chain.push(active.indexOf(true));
    const a = chain[chain.length - 1]!;
    const previous = chain.length >= 2 ? chain[chain.length - 2]! : -1;
    const [b, d] = nearest(a, previous);
    if (d > threshold) {
      // Nothing is within the threshold of `a`, and with average linkage merges elsewhere can only move groups away from it.
      chain.pop();
      finalise(a);
      continue;
    }
    if (b !== previous) {
      chain.push(b);
      continue;
    }
    // a and b are reciprocal nearest neighbours: merge b into a.
    chain.pop();
    chain.pop();
    for (let k = 0; k < n; k++) {
      if (!active[k] || k === a || k === b) continue;
      const merged = (size[a]! * dist[a * n + k]! + size[b]! * dist[b * n + k]!) / (size[a]! + size[b]!);
      dist[a * n + k] = merged;
      dist[k * n + a] = merged;
    }
    size[a]! += size[b]!;
    members[a] = [...members[a]!, ...members[b]!];
    active[b] = false;
    activeCount--;
  }

  const clusters: FaceCluster[] = [];
  const unclustered: string[] = [];
  for (const group of groups) {
    const ids = group.sort((x, y) => x - y).map((i) => faces[i]!.faceId);
    if (group.length < minSize) {
      unclustered.push(...ids);
      continue;
    }
    clusters.push(describeCluster(group.map((i) => faces[i]!)));
  }
  clusters.sort((x, y) => y.faceIds.length - x.faceIds.length || x.clusterId.localeCompare(y.clusterId));
  return { clusters, unclustered };
}

/** Builds the cluster record (id, centroid, spread) for a set of faces. */
export function describeCluster(faces: FaceToCluster[]): FaceCluster {
  if (faces.length === 0) throw new RangeError('A cluster needs at least one face');
  const centroid = centroidOf(faces.map((f) => f.descriptor));
  const spread = faces.reduce((sum, f) => sum + euclideanDistance(f.descriptor, centroid), 0) / faces.length;
  const faceIds = faces.map((f) => f.faceId);
  return {
    clusterId: [...faceIds].sort()[0]!,
    faceIds,
    centroid: centroid.map((v) => Math.round(v * 1e6) / 1e6),
    spread: Math.round(spread * 10000) / 10000,
  };
}

/** An editor says two or more clusters are the same person. */
export function mergeClusters(
  faces: FaceToCluster[],
  clusters: Array<Pick<FaceCluster, 'faceIds'>>,
): FaceCluster {
  const wanted = new Set(clusters.flatMap((c) => c.faceIds));
  return describeCluster(faces.filter((f) => wanted.has(f.faceId)));
}

/** An editor pulls some faces out of a cluster: returns what remains and the faces taken out, as two clusters. */
export function splitCluster(
  faces: FaceToCluster[],
  cluster: Pick<FaceCluster, 'faceIds'>,
  takeOut: string[],
): { remaining: FaceCluster | null; split: FaceCluster } {
  const out = new Set(takeOut);
  const inCluster = new Set(cluster.faceIds);
  const missing = takeOut.filter((id) => !inCluster.has(id));
  if (missing.length > 0) throw new RangeError(`Faces not in the cluster: ${missing.join(', ')}`);
  const members = faces.filter((f) => inCluster.has(f.faceId));
  const rest = members.filter((f) => !out.has(f.faceId));
  return {
    remaining: rest.length > 0 ? describeCluster(rest) : null,
    split: describeCluster(members.filter((f) => out.has(f.faceId))),
  };
}

/** For a newly seen unknown face: the existing cluster whose centroid is nearest, if within the threshold. */
export function nearestCluster(
  descriptor: Descriptor,
  clusters: Array<Pick<FaceCluster, 'clusterId' | 'centroid'>>,
  threshold = 0.5,
): { clusterId: string; distance: number } | null {
  let best: { clusterId: string; distance: number } | null = null;
  for (const cluster of clusters) {
    const distance = euclideanDistance(descriptor, cluster.centroid);
    if (distance <= threshold && (!best || distance < best.distance))
      best = { clusterId: cluster.clusterId, distance };
  }
  return best;
}
