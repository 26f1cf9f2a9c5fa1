export interface TopK {
  indices: Int32Array;
  scores: Float32Array;
}

/**
 * The k highest scores, best first, by partial selection with a size-k min-heap (O(n log k)).
 * Entries that are -Infinity or NaN are never selected; `exclude` marks indices to skip.
 */
export function topK(scores: ArrayLike<number>, k: number, exclude?: (index: number) => boolean): TopK {
  const n = scores.length;
  const cap = Math.max(0, Math.min(k, n));
  const heapIdx = new Int32Array(cap);
  const heapVal = new Float64Array(cap);
  let size = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    if (!(s > -Infinity)) continue;
    if (size === cap && s <= heapVal[0]!) continue;
    if (exclude && exclude(i)) continue;
    if (size < cap) {
      // Sift up.
      let c = size++;
      while (c > 0) {
        const parent = (c - 1) >> 1;
        if (heapVal[parent]! <= s) break;
        heapVal[c] = heapVal[parent]!;
        heapIdx[c] = heapIdx[parent]!;
        c = parent;
      }
      heapVal[c] = s;
      heapIdx[c] = i;
    } else {
      siftDown(heapVal, heapIdx, size, s, i);
    }
  }
  // Pop the heap: smallest first, so fill from the back.
  const indices = new Int32Array(size);
  const out = new Float32Array(size);
  for (let pos = size - 1; pos >= 0; pos--) {
    indices[pos] = heapIdx[0]!;
    out[pos] = heapVal[0]!;
    const lastVal = heapVal[pos]!;
    const lastIdx = heapIdx[pos]!;
    siftDown(heapVal, heapIdx, pos, lastVal, lastIdx);
  }
  return { indices, scores: out };
}

/** Replaces the root of a min-heap of `size` entries with (val, idx) and restores the heap order. */
function siftDown(heapVal: Float64Array, heapIdx: Int32Array, size: number, val: number, idx: number): void {
  let c = 0;
  for (;;) {
    let child = 2 * c + 1;
    if (child >= size) break;
    if (child + 1 < size && heapVal[child + 1]! < heapVal[child]!) child++;
    if (heapVal[child]! >= val) break;
    heapVal[c] = heapVal[child]!;
    heapIdx[c] = heapIdx[child]!;
    c = child;
  }
  if (size > 0) {
    heapVal[c] = val;
    heapIdx[c] = idx;
  }
}
