/** A word-level diff (longest common subsequence) of a model's text and an editor's version. */

export type Part = { op: 'same' | 'del' | 'ins'; text: string };

const MAX_WORDS = 2000;

export function diffWords(before: string, after: string): Part[] | null {
  const a = before.split(/(\s+)/).filter(Boolean);
  const b = after.split(/(\s+)/).filter(Boolean);
  if (a.length > MAX_WORDS || b.length > MAX_WORDS) return null;
  // lcs[i][j]: length of the common subsequence of a[i..] and b[j..], in one flat array.
  const w = b.length + 1;
  const lcs = new Uint16Array((a.length + 1) * w);
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i * w + j] =
        a[i] === b[j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
  const out: Part[] = [];
  const push = (op: Part['op'], text: string) => {
    const last = out[out.length - 1];
    if (last?.op === op) last.text += text;
    else out.push({ op, text });
  };
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      push('same', a[i]);
      i++;
      j++;
    } else if (lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) push('del', a[i++]);
    else push('ins', b[j++]);
  }
  while (i < a.length) push('del', a[i++]);
  while (j < b.length) push('ins', b[j++]);
  return out;
}

/** The editor's version with the model's words struck through and the editor's underlined. */
export function Diff({ before, after, label }: { before: string; after: string; label: string }) {
  const parts = diffWords(before, after);
  if (!parts) return <p class="output">{after}</p>;
  return (
    <p class="output diff" aria-label={label}>
      {parts.map((p, i) =>
        p.op === 'same' ? (
          p.text
        ) : p.op === 'del' ? (
          <del key={i} title="The model wrote">
            {p.text}
          </del>
        ) : (
          <ins key={i} title="The editor wrote">
            {p.text}
          </ins>
        ),
      )}
    </p>
  );
}
