/** Newsroom glossary: preferred spellings (with the variants to replace) and banned terms. */
export interface GlossaryEntry {
  preferred: string;
  variants: string[];
  note?: string;
}

export interface BannedTerm {
  term: string;
  reason?: string;
  /** Suggested wording. */
  replacement?: string;
}

export interface Glossary {
  entries: GlossaryEntry[];
  banned?: BannedTerm[];
}

export interface SpellingFix {
  from: string;
  to: string;
  start: number;
  end: number;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whole-word, case-insensitive matcher for a term (Unicode-aware boundaries). */
export function termRegex(term: string): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])${escapeRe(term).replace(/\s+/g, '\\s+')}(?![\\p{L}\\p{N}])`, 'giu');
}

/** Replace variants with the preferred spelling; also fixes the preferred term's capitalisation ("kyiv" → "Kyiv"). */
export function applyGlossary(
  text: string,
  glossary: Glossary | undefined,
): { text: string; fixes: SpellingFix[] } {
  if (!glossary?.entries.length) return { text, fixes: [] };
  const found: SpellingFix[] = [];
  for (const entry of glossary.entries) {
    const forms = [...entry.variants];
    if (entry.preferred !== entry.preferred.toLowerCase()) forms.push(entry.preferred);
    for (const form of forms) {
      for (const m of text.matchAll(termRegex(form))) {
        if (m[0] === entry.preferred) continue;
        const start = m.index ?? 0;
        if (found.some((f) => start < f.end && f.start < start + m[0].length)) continue;
        let to = entry.preferred;
        // Keep a sentence-initial capital.
        if (
          /^\p{Lu}/u.test(m[0]) &&
          /^\p{Ll}/u.test(to) &&
          (start === 0 || /[.!?]\s+$/u.test(text.slice(Math.max(0, start - 3), start)))
        ) {
          to = to.charAt(0).toUpperCase() + to.slice(1);
        }
        if (to !== m[0]) found.push({ from: m[0], to, start, end: start + m[0].length });
      }
    }
  }
  found.sort((a, b) => a.start - b.start);
  let out = '';
  let pos = 0;
  for (const f of found) {
    out += text.slice(pos, f.start) + f.to;
    pos = f.end;
  }
  out += text.slice(pos);
  return { text: out, fixes: found };
}

/** Glossary as prompt instructions for an LLM. */
export function glossaryPrompt(glossary: Glossary | undefined): string {
  if (!glossary) return '';
  const lines: string[] = [];
  if (glossary.entries.length) {
    lines.push('Use the newsroom’s preferred spellings:');
    for (const e of glossary.entries)
      lines.push(
        `- "${e.preferred}"${e.variants.length ? ` (not ${e.variants.map((v) => `"${v}"`).join(', ')})` : ''}`,
      );
  }
  if (glossary.banned?.length) {
    lines.push('Never use these terms:');
    for (const b of glossary.banned)
      lines.push(`- "${b.term}"${b.replacement ? ` (write "${b.replacement}")` : ''}`);
  }
  return lines.join('\n');
}
