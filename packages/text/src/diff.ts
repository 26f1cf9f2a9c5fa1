/** One run of a word diff: text kept, added or removed. */
export interface DiffPart {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

/** Largest changed region compared word by word (words before x words after); larger: one delete, one insert. */
const MAX_CELLS = 4_000_000;

/**
 * The changes that turn `before` into `after`, word by word (whitespace counts as a token of its own),
 * adjacent runs of one kind merged: what an editor changed in a generated text.
 */
export function wordDiff(before: string, after: string): DiffPart[] {
  const a = tokens(before);
  const b = tokens(after);
  // Common prefix and suffix first: edits are usually small.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  // Longest common subsequence of the middles (lengths table, then a walk back).
  const m = midA.length;
  const n = midB.length;
  if (m * n > MAX_CELLS) {
    return merge([
      { op: 'equal', text: a.slice(0, start).join('') },
      { op: 'delete', text: midA.join('') },
      { op: 'insert', text: midB.join('') },
      { op: 'equal', text: a.slice(endA).join('') },
    ]);
  }
  const table = new Uint32Array((m + 1) * (n + 1));
  for (let i = m - 1; i >= 0; i--)
    for (let j = n - 1; j >= 0; j--)
      table[i * (n + 1) + j] =
        midA[i] === midB[j]
          ? table[(i + 1) * (n + 1) + j + 1]! + 1
          : Math.max(table[(i + 1) * (n + 1) + j]!, table[i * (n + 1) + j + 1]!);
  const parts: DiffPart[] = [{ op: 'equal', text: a.slice(0, start).join('') }];
  let i = 0;
  let j = 0;
  while (i < m && j < n) {
    if (midA[i] === midB[j]) {
      parts.push({ op: 'equal', text: midA[i++]! });
      j++;
    } else if (table[(i + 1) * (n + 1) + j]! >= table[i * (n + 1) + j + 1]!) {
      parts.push({ op: 'delete', text: midA[i++]! });
    } else {
      parts.push({ op: 'insert', text: midB[j++]! });
    }
  }
  while (i < m) parts.push({ op: 'delete', text: midA[i++]! });
  while (j < n) parts.push({ op: 'insert', text: midB[j++]! });
  parts.push({ op: 'equal', text: a.slice(endA).join('') });
  return merge(parts);
}

/** Words and the whitespace between them, so that joining the tokens gives the text back. */
function tokens(text: string): string[] {
  return text.match(/\S+|\s+/g) ?? [];
}

/**
 * Joins the parts into readable runs: whitespace kept between two changes becomes part of the change,
 * and each run of changes answers one delete (what was there) and one insert (what replaced it).
 */
function merge(parts: DiffPart[]): DiffPart[] {
  const kept = parts.filter((p) => p.text);
  const out: DiffPart[] = [];
  let removed = '';
  let added = '';
  const flush = () => {
    if (removed) out.push({ op: 'delete', text: removed });
    if (added) out.push({ op: 'insert', text: added });
    removed = added = '';
  };
  for (const [i, p] of kept.entries()) {
    const between =
      p.op === 'equal' &&
      !p.text.trim() &&
      (removed || added) &&
      kept[i + 1] !== undefined &&
      kept[i + 1]!.op !== 'equal';
    if (p.op === 'delete' || between) removed += p.text;
    if (p.op === 'insert' || between) added += p.text;
    if (p.op === 'equal' && !between) {
      flush();
      const last = out[out.length - 1];
      if (last?.op === 'equal') last.text += p.text;
      else out.push({ ...p });
    }
  }
  flush();
  return out;
}
