import { runProcess } from '../util/process.js';

/**
 * Letter-to-sound for words the CMU dictionary lacks (names, places). The first choice is espeak-ng's
 * English phonemes (IPA) mapped to CMU phones; when espeak-ng is missing or says nothing, spelling rules.
 */

/** IPA (as espeak-ng writes it for en-us) to CMU phones; longest symbols first. */
const IPA_TO_CMU: Array<[string, string[]]> = [
  ['aɪə', ['AY', 'ER']],
  ['aɪ', ['AY']],
  ['eɪ', ['EY']],
  ['ɔɪ', ['OY']],
  ['aʊ', ['AW']],
  ['oʊ', ['OW']],
  ['əʊ', ['OW']],
  ['ɪə', ['IH', 'R']],
  ['eə', ['EH', 'R']],
  ['ʊə', ['UH', 'R']],
  ['tʃ', ['CH']],
  ['dʒ', ['JH']],
  ['ɜː', ['ER']],
  ['ɜ', ['ER']],
  ['ɚ', ['ER']],
  ['ɝ', ['ER']],
  ['iː', ['IY']],
  ['uː', ['UW']],
  ['ɑː', ['AA']],
  ['ɔː', ['AO']],
  ['aː', ['AA']],
  ['oː', ['OW']],
  ['eː', ['EY']],
  ['i', ['IY']],
  ['u', ['UW']],
  ['ɑ', ['AA']],
  ['ɔ', ['AO']],
  ['ɒ', ['AA']],
  ['æ', ['AE']],
  ['ɛ', ['EH']],
  ['e', ['EH']],
  ['ɪ', ['IH']],
  ['ᵻ', ['IH']],
  ['ɨ', ['IH']],
  ['ʊ', ['UH']],
  ['ʌ', ['AH']],
  ['ə', ['AH']],
  ['ɐ', ['AH']],
  ['a', ['AA']],
  ['o', ['OW']],
  ['y', ['UW']],
  ['ø', ['UH']],
  ['œ', ['UH']],
  ['ʏ', ['UH']],
  ['ɯ', ['UW']],
  ['ɵ', ['OW']],
  ['b', ['B']],
  ['d', ['D']],
  ['f', ['F']],
  ['ɡ', ['G']],
  ['g', ['G']],
  ['h', ['HH']],
  ['j', ['Y']],
  ['k', ['K']],
  ['l', ['L']],
  ['ɫ', ['L']],
  ['m', ['M']],
  ['n', ['N']],
  ['ŋ', ['NG']],
  ['p', ['P']],
  ['ɹ', ['R']],
  ['r', ['R']],
  ['ɾ', ['T']],
  ['ʔ', ['T']],
  ['s', ['S']],
  ['ʃ', ['SH']],
  ['t', ['T']],
  ['θ', ['TH']],
  ['ð', ['DH']],
  ['v', ['V']],
  ['w', ['W']],
  ['z', ['Z']],
  ['ʒ', ['ZH']],
  ['x', ['K']],
  ['ç', ['HH']],
  ['ɬ', ['L']],
  ['ʁ', ['R']],
  ['ɣ', ['G']],
  ['β', ['B']],
  ['ɲ', ['N', 'Y']],
  ['ʎ', ['L', 'Y']],
  ['c', ['K']],
  ['q', ['K']],
];

/** Marks that carry no phone: stress, length, syllable and linking marks, diacritics. */
const IGNORED = /[ˈˌː.‿ʰʲ̩̃̆͡\-\s']/u;

export function ipaToCmu(ipa: string): string[] {
  const out: string[] = [];
  let i = 0;
  const s = ipa.normalize('NFC');
  while (i < s.length) {
    if (IGNORED.test(s[i])) {
      i++;
      continue;
    }
    const hit = IPA_TO_CMU.find(([sym]) => s.startsWith(sym, i));
    if (hit) {
      out.push(...hit[1]);
      i += hit[0].length;
    } else {
      i++; // an unknown symbol is skipped rather than guessed
    }
  }
  // espeak may write a phone twice across a syllable mark ("ɚɹ" -> R R); CMU words never repeat one.
  return out.filter((p, k) => k === 0 || p !== out[k - 1]);
}

/** espeak-ng's pronunciation of each word, as CMU phones (words it cannot say are absent). */
export async function espeakPronunciations(
  words: readonly string[],
  voice = 'en-us',
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (words.length === 0) return out;
  // One clause per line: the full stop keeps espeak from joining neighbours.
  const batchSize = 500;
  for (let start = 0; start < words.length; start += batchSize) {
    const batch = words.slice(start, start + batchSize);
    let result;
    try {
      result = await runProcess('espeak-ng', ['-q', '--ipa', '-v', voice], {
        stdin: batch.map((w) => `${w}.`).join('\n') + '\n',
        timeoutMs: 60_000,
      });
    } catch {
      return out; // not installed: callers fall back to rules
    }
    if (result.code !== 0) return out;
    const lines = result.stdout
      .toString('utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.length > 0);
    if (lines.length !== batch.length) {
      // Line structure lost: ask word by word.
      for (const w of batch) {
        const single = await runProcess('espeak-ng', ['-q', '--ipa', '-v', voice, w], {
          timeoutMs: 10_000,
        }).catch(() => null);
        const phones = single && single.code === 0 ? ipaToCmu(single.stdout.toString('utf8').trim()) : [];
        if (phones.length > 0) out.set(w, phones);
      }
      continue;
    }
    batch.forEach((w, i) => {
      const phones = ipaToCmu(lines[i]);
      if (phones.length > 0) out.set(w, phones);
    });
  }
  return out;
}

/** Spelling rules, longest grapheme first; a rough fallback that keeps unknown words recognisable. */
const RULES: Array<[RegExp, string[]]> = [
  [/^tch/, ['CH']],
  [/^sch/, ['SH']],
  [/^igh/, ['AY']],
  [/^ough/, ['AO']],
  [/^tion/, ['SH', 'AH', 'N']],
  [/^sion/, ['ZH', 'AH', 'N']],
  [/^ck/, ['K']],
  [/^ch/, ['CH']],
  [/^sh/, ['SH']],
  [/^th/, ['TH']],
  [/^ph/, ['F']],
  [/^wh/, ['W']],
  [/^qu/, ['K', 'W']],
  [/^ng/, ['NG']],
  [/^kn/, ['N']],
  [/^wr/, ['R']],
  [/^gh/, ['G']],
  [/^ee/, ['IY']],
  [/^ea/, ['IY']],
  [/^oo/, ['UW']],
  [/^ou/, ['AW']],
  [/^ow/, ['OW']],
  [/^oi/, ['OY']],
  [/^oy/, ['OY']],
  [/^ai/, ['EY']],
  [/^ay/, ['EY']],
  [/^au/, ['AO']],
  [/^aw/, ['AO']],
  [/^ei/, ['EY']],
  [/^ey/, ['EY']],
  [/^ie/, ['IY']],
  [/^ue/, ['UW']],
  [/^ew/, ['UW']],
  [/^oa/, ['OW']],
  [/^ar/, ['AA', 'R']],
  [/^er/, ['ER']],
  [/^ir/, ['ER']],
  [/^ur/, ['ER']],
  [/^or/, ['AO', 'R']],
  [/^c(?=[eiy])/, ['S']],
  [/^g(?=[eiy])/, ['JH']],
  [/^x/, ['K', 'S']],
  [/^y(?=[aeiou])/, ['Y']],
  [/^y$/, ['IY']],
  [/^y/, ['IH']],
  [/^e$/, []],
  [/^a/, ['AE']],
  [/^e/, ['EH']],
  [/^i/, ['IH']],
  [/^o/, ['AA']],
  [/^u/, ['AH']],
  [/^b/, ['B']],
  [/^c/, ['K']],
  [/^d/, ['D']],
  [/^f/, ['F']],
  [/^g/, ['G']],
  [/^h/, ['HH']],
  [/^j/, ['JH']],
  [/^k/, ['K']],
  [/^l/, ['L']],
  [/^m/, ['M']],
  [/^n/, ['N']],
  [/^p/, ['P']],
  [/^q/, ['K']],
  [/^r/, ['R']],
  [/^s/, ['S']],
  [/^t/, ['T']],
  [/^v/, ['V']],
  [/^w/, ['W']],
  [/^z/, ['Z']],
];

export function ruleBasedPhones(word: string): string[] {
  const w = word
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z]/g, '')
    .replace(/([b-df-hj-np-tv-z])\1/g, '$1'); // double consonants sound single
  const out: string[] = [];
  let rest = w;
  while (rest.length > 0) {
    const rule = RULES.find(([re]) => re.test(rest));
    if (!rule) {
      rest = rest.slice(1);
      continue;
    }
    const m = rule[0].exec(rest) as RegExpExecArray;
    out.push(...rule[1]);
    rest = rest.slice(Math.max(1, m[0].length));
  }
  return out.length > 0 ? out : ['AH'];
}
