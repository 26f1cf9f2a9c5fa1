import type { Lang } from '@media-ai/text';

export interface Compression {
  text: string;
  /** Names of the rules applied, in order. */
  operations: string[];
}

interface Rule {
  name: string;
  apply: (s: string) => string;
}

const VERBS: Record<Lang, string> = {
  en: 'said|says|told|added|announced|reported|stated|confirmed|warned|explained',
  es: 'dijo|afirmó|declaró|señaló|anunció|informó|explicó|aseguró',
  fr: 'a déclaré|a dit|a affirmé|a annoncé|a expliqué|selon',
  de: 'sagte|erklärte|teilte mit|berichtete|kündigte an',
};
const ACCORDING: Record<Lang, string> = {
  en: 'according to',
  es: 'según',
  fr: 'selon',
  de: 'laut|nach Angaben von',
};

/** "WASHINGTON (AP) —", "LONDON, England --": a dateline before the story. */
export function stripDateline(s: string): string {
  return s.replace(/^[\p{Lu}][\p{Lu} ,.'-]{2,40}(?:\([^)]*\))?\s*(?:--|—|–|-)\s*/u, '');
}

function rules(lang: Lang): Rule[] {
  const v = VERBS[lang];
  const acc = ACCORDING[lang];
  const r: Rule[] = [
    // "(cnn)", "(photo)", " -- the once-vibrant campus -- "
    {
      name: 'drop-parenthetical',
      apply: (s) =>
        s.replace(/\s*\([^()]{0,80}\)/gu, '').replace(/\s+(?:--|—|–)\s[^—–]{1,80}?\s(?:--|—|–)\s/gu, ' '),
    },
    // "WASHINGTON (AP) —", "LONDON, England --": a dateline before the story.
    { name: 'drop-dateline', apply: stripDateline },
    {
      name: 'drop-leading-attribution',
      apply: (s) =>
        s
          .replace(new RegExp(`^(?:${acc})\\s[^,]{1,60},\\s*`, 'iu'), '')
          .replace(
            new RegExp(
              `^[^,"“”]{1,50}?\\s(?:${v})(?:\\s(?:on\\s)?\\p{L}+day)?(?:\\sthat)?\\s+(?=\\p{L})`,
              'iu',
            ),
            '',
          ),
    },
    {
      name: 'drop-trailing-attribution',
      apply: (s) =>
        s
          .replace(new RegExp(`,\\s*(?:${acc})\\s[^,]{1,80}(?:,[^,]*)?[.!?]?\\s*$`, 'iu'), '')
          // The tail after the verb is a speaker ("said John Smith, the mayor"), never a clause ("said that").
          .replace(
            new RegExp(
              `[,]?\\s*["”'’]*\\s*,?\\s*(?:[^,"”]{0,60}\\s)?(?:${v})(?:\\s(?!that\\b|que\\b|dass\\b|qu['’])[^,]{0,40})?(?:,[^,]*)?[.!?]?\\s*$`,
              'iu',
            ),
            '',
          ),
    },
    {
      name: 'drop-leading-connective',
      apply: (s) =>
        s.replace(
          /^(?:but|and|so|however|meanwhile|still|yet|also|now|pero|y|mais|et|aber|und)\b,?\s+/iu,
          '',
        ),
    },
    {
      name: 'drop-leading-adverbial',
      apply: (s) =>
        s.replace(
          /^(?:on|in|at|after|before|during|since|earlier|later|last|this|following|despite|while|when|as|with|over|for)\b[^,]{1,50},\s+/iu,
          '',
        ),
    },
    {
      name: 'drop-relative-clause',
      apply: (s) =>
        s.replace(/,\s*(?:who|which|whose|where|quien|que|qui|dont|der|die|das)\b[^,]{1,120},/giu, ''),
    },
    {
      name: 'drop-appositive',
      apply: (s) => s.replace(/(\p{L}),\s+(?:the|a|an|el|la|le|der|die|das)\s[^,]{2,70},/gu, '$1'),
    },
  ];
  return r;
}

/** Shortening rules applied only when a candidate is still too long. */
const SHORTEN: Rule[] = [
  { name: 'drop-trailing-clause', apply: (s) => (s.includes(', ') ? s.slice(0, s.lastIndexOf(', ')) : s) },
  {
    name: 'first-coordinate',
    apply: (s) => {
      const m = /\s(?:and|but|while|as|;|--|—|–|y|pero|et|mais|und|aber)\s/iu.exec(s.slice(20));
      return m ? s.slice(0, 20 + m.index) : s;
    },
  },
  {
    // "... on Thursday", "... para la sanidad pública": a final prepositional phrase (not "of"/"de").
    name: 'drop-trailing-phrase',
    apply: (s) => {
      // Greedy prefix: the last such phrase goes first ("to 5.25% on Thursday" loses "on Thursday").
      const m =
        /^(.*\S)\s(?:for|in|on|at|to|from|with|after|before|during|para|en|con|por|pour|dans|avec|für|mit|im|am)\s[^,]{1,60}$/iu.exec(
          s,
        );
      return m && m[1].split(' ').length >= 5 ? m[1] : s;
    },
  },
];

export function cleanHeadline(text: string): string {
  let s = text
    .replace(/``|''/g, '"')
    .replace(/\s+([,.;:!?%)])/g, '$1')
    .replace(/([($])\s+/g, '$1')
    .replace(/\s+(['’]s)\b/g, '$1')
    .replace(/\s+n't\b/g, "n't")
    .replace(/\s+/g, ' ')
    .trim();
  s = s.replace(/^[\s"“”'‘’,;:—–-]+/u, '').replace(/[\s,;:.—–-]+$/u, '');
  // Unbalanced quotes after cutting: drop them all.
  const quotes = (s.match(/["“”]/g) ?? []).length;
  if (quotes % 2 === 1) s = s.replace(/["“”]/g, '');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Compressed variants of a sentence: each rule applied cumulatively, then shortening rules. */
export function compressSentence(input: string, lang: Lang): Compression[] {
  const out = new Map<string, Compression>();
  const add = (text: string, operations: string[]) => {
    const c = cleanHeadline(text);
    if (c.split(' ').length >= 3 && !out.has(c)) out.set(c, { text: c, operations });
  };
  const sentence = stripDateline(input);
  let current = sentence;
  const ops: string[] = [];
  add(current, []);
  for (const rule of rules(lang)) {
    const next = rule.apply(current);
    if (next !== current && next.trim().length > 0) {
      // Keep each rule's output on its own too (a rule that removes too much is not forced on the others).
      add(rule.apply(sentence), [rule.name]);
      current = next;
      ops.push(rule.name);
      add(current, [...ops]);
    }
  }
  let shorter = current;
  const sops = [...ops];
  for (let k = 0; k < 3; k++) {
    for (const rule of SHORTEN) {
      const next = rule.apply(cleanHeadline(shorter));
      if (next !== cleanHeadline(shorter) && next.split(' ').length >= 4) {
        shorter = next;
        sops.push(rule.name);
        add(shorter, [...sops]);
      }
    }
  }
  return [...out.values()];
}
