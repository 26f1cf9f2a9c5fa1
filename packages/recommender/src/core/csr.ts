/** Compressed sparse rows: row r holds indices[indptr[r] .. indptr[r+1]) (sorted) with values. */
export interface Csr {
  rows: number;
  cols: number;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

export interface Triplet {
  row: number;
  col: number;
  value: number;
}

/** Builds a CSR matrix; duplicate (row, col) entries are summed. */
export function csrFromTriplets(
  rows: number,
  cols: number,
  rowIdx: ArrayLike<number>,
  colIdx: ArrayLike<number>,
  vals: ArrayLike<number>,
): Csr {
  const n = rowIdx.length;
  const counts = new Int32Array(rows + 1);
  for (let k = 0; k < n; k++) counts[rowIdx[k]! + 1]!++;
  for (let r = 0; r < rows; r++) counts[r + 1]! += counts[r]!;
  const fill = counts.slice(0, rows);
  const indices = new Int32Array(n);
  const values = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const p = fill[rowIdx[k]!]!++;
    indices[p] = colIdx[k]!;
    values[p] = vals[k]!;
  }
  return sortAndMergeRows({ rows, cols, indptr: counts, indices, values });
}

function sortAndMergeRows(m: Csr): Csr {
  const indptr = new Int32Array(m.rows + 1);
  const indices = new Int32Array(m.indices.length);
  const values = new Float32Array(m.indices.length);
  let out = 0;
  const order: number[] = [];
  for (let r = 0; r < m.rows; r++) {
    const start = m.indptr[r]!;
    const end = m.indptr[r + 1]!;
    order.length = 0;
    for (let p = start; p < end; p++) order.push(p);
    order.sort((a, b) => m.indices[a]! - m.indices[b]!);
    let last = -1;
    for (const p of order) {
      const c = m.indices[p]!;
      if (c === last) {
        values[out - 1]! += m.values[p]!;
      } else {
        indices[out] = c;
        values[out] = m.values[p]!;
        out++;
        last = c;
      }
    }
    indptr[r + 1] = out;
  }
  return { rows: m.rows, cols: m.cols, indptr, indices: indices.slice(0, out), values: values.slice(0, out) };
}

export function transpose(m: Csr): Csr {
  const counts = new Int32Array(m.cols + 1);
  for (let k = 0; k < m.indices.length; k++) counts[m.indices[k]! + 1]!++;
  for (let c = 0; c < m.cols; c++) counts[c + 1]! += counts[c]!;
  const fill = counts.slice(0, m.cols);
  const indices = new Int32Array(m.indices.length);
  const values = new Float32Array(m.indices.length);
  for (let r = 0; r < m.rows; r++) {
    for (let p = m.indptr[r]!; p < m.indptr[r + 1]!; p++) {
      const c = m.indices[p]!;
      const q = fill[c]!++;
      indices[q] = r;
      values[q] = m.values[p]!;
    }
  }
  // Rows are visited in order, so each transposed row is already sorted.
  return { rows: m.cols, cols: m.rows, indptr: counts, indices, values };
}

export function rowLength(m: Csr, r: number): number {
  return r < m.rows ? m.indptr[r + 1]! - m.indptr[r]! : 0;
}

export function rowIndices(m: Csr, r: number): Int32Array {
  return r < m.rows ? m.indices.subarray(m.indptr[r]!, m.indptr[r + 1]!) : new Int32Array(0);
}

export function rowValues(m: Csr, r: number): Float32Array {
  return r < m.rows ? m.values.subarray(m.indptr[r]!, m.indptr[r + 1]!) : new Float32Array(0);
}

/** Binary search in a sorted row. */
export function hasEntry(m: Csr, r: number, c: number): boolean {
  let lo = m.indptr[r]!;
  let hi = m.indptr[r + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = m.indices[mid]!;
    if (v === c) return true;
    if (v < c) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

export function emptyCsr(rows: number, cols: number): Csr {
  return {
    rows,
    cols,
    indptr: new Int32Array(rows + 1),
    indices: new Int32Array(0),
    values: new Float32Array(0),
  };
}

/** The same matrix with the given rows emptied (erasure of a reader's training history). */
export function withoutRows(m: Csr, rows: Iterable<number>): Csr {
  const drop = new Set(rows);
  const indptr = new Int32Array(m.rows + 1);
  let n = 0;
  for (let r = 0; r < m.rows; r++) {
    if (!drop.has(r)) n += m.indptr[r + 1]! - m.indptr[r]!;
    indptr[r + 1] = n;
  }
  const indices = new Int32Array(n);
  const values = new Float32Array(n);
  for (let r = 0; r < m.rows; r++) {
    if (drop.has(r)) continue;
    const from = m.indptr[r]!;
    const len = m.indptr[r + 1]! - from;
    indices.set(m.indices.subarray(from, from + len), indptr[r]!);
    values.set(m.values.subarray(from, from + len), indptr[r]!);
  }
  return { rows: m.rows, cols: m.cols, indptr, indices, values };
}
