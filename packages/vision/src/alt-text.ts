import type { Box } from './types.js';

export interface AltTextInput {
  objects?: Array<{ label: string; score: number; box?: Box }>;
  /** Faces left to right; `name` when recognised. */
  faces?: Array<{ name?: string | null; box?: Box }>;
  text?: { text: string; confidence: number } | null;
  /** What the whole picture looks like: said when nothing more specific is known. */
  scene?: SceneProperties | null;
}

/** Properties of the whole picture (see `sceneProperties`). */
export interface SceneProperties {
  width: number;
  height: number;
  /** Mean luma, 0 (black) to 1 (white). */
  brightness: number;
  /** The most common colour (sharp's dominant colour), 0-255 per channel. */
  dominant: { r: number; g: number; b: number };
}

export interface AltTextOptions {
  /** Ignore object detections below this score (default 0.4). */
  minObjectScore?: number;
  /** Ignore OCR below this mean confidence, 0-100 (default 60). */
  minTextConfidence?: number;
  /** Quote at most this many characters of text (default 80). */
  maxTextLength?: number;
  /** Mention at most this many kinds of object (default 3). */
  maxObjectKinds?: number;
  /** With nothing else to say, weaker detections are mentioned as "may show" from this score (default 0.15). */
  minHintScore?: number;
  /** With nothing else to say, text read at this OCR confidence or more is mentioned as "some text" (default 40). */
  minTextHintConfidence?: number;
}

const NUMBER_WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

/** COCO labels as a caption would say them. */
const SAY: Record<string, string> = {
  tv: 'TV',
  'sports ball': 'ball',
  'dining table': 'table',
  'cell phone': 'phone',
  'hair drier': 'hair dryer',
  motorcycle: 'motorbike',
};

const PLURAL: Record<string, string> = {
  person: 'people',
  mouse: 'mice',
  knife: 'knives',
  sheep: 'sheep',
  skis: 'pairs of skis',
  scissors: 'pairs of scissors',
  TV: 'TVs',
};

function countWord(n: number): string {
  return n < NUMBER_WORDS.length ? NUMBER_WORDS[n]! : String(n);
}

function plural(noun: string): string {
  const irregular = PLURAL[noun];
  if (irregular) return irregular;
  const words = noun.split(' ');
  const last = words.pop()!;
  const pluralLast = /(s|x|z|ch|sh)$/.test(last)
    ? `${last}es`
    : /[^aeiou]y$/.test(last)
      ? `${last.slice(0, -1)}ies`
      : `${last}s`;
  return [...words, pluralLast].join(' ');
}

function article(noun: string): string {
  if (noun === 'scissors' || noun === 'skis') return `a pair of ${noun}`;
  return /^[aeiou]/i.test(noun) && !/^(uni|eu|one)/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function phrase(noun: string, count: number): string {
  return count === 1 ? article(noun) : `${countWord(count)} ${plural(noun)}`;
}

function listJoin(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function centreInside(box: Box, container: Box): boolean {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  return (
    cx >= container.x &&
    cx <= container.x + container.width &&
    cy >= container.y &&
    cy <= container.y + container.height
  );
}

function bodyBelow(face: Box): Box {
  return {
    x: face.x - face.width,
    y: face.y - face.height / 2,
    width: face.width * 3,
    height: face.height * 7,
  };
}

/** Collapses whitespace and shortens at a word boundary. */
export function quoteText(text: string, maxLength = 80): string | null {
  const clean = text.replace(/\s+/g, ' ').trim();
  if ((clean.match(/[\p{L}\p{N}]/gu) ?? []).length < 2) return null;
  if (clean.length <= maxLength) return clean;
  const cut = clean.slice(0, maxLength);
  if (clean[maxLength] === ' ') return `${cut.replace(/[\s,.;:]+$/, '')}…`;
  const space = cut.lastIndexOf(' ');
  return `${(space > maxLength / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:]+$/, '')}…`;
}

/**
 * A readable alt-text sentence from the analyses, e.g.
 * "Two people, one of them Barack Obama, standing next to a car; text reads 'EXIT'."
 * People are counted from faces and person detections (whichever sees more);
 * recognised names are used; other objects are counted by kind; text is quoted
 * only when OCR is confident.
 */
export function composeAltText(input: AltTextInput, options: AltTextOptions = {}): string {
  const minScore = options.minObjectScore ?? 0.4;
  const objects = (input.objects ?? []).filter((o) => o.score >= minScore);
  const persons = objects.filter((o) => o.label === 'person');
  const faces = input.faces ?? [];
  const people = Math.max(faces.length, persons.length);
  const names = [...new Set(faces.flatMap((f) => (f.name ? [f.name] : [])))];

  let subject = '';
  if (people === 1) subject = names[0] ?? 'a person';
  else if (people > 1) {
    if (names.length >= people) subject = listJoin(names);
    else if (names.length === 1) subject = `${countWord(people)} people, one of them ${names[0]},`;
    else if (names.length > 1) subject = `${countWord(people)} people, including ${listJoin(names)},`;
    else subject = `${countWord(people)} people`;
  }

  // Other objects: count per kind, strongest kinds first.
  const kinds = new Map<string, { count: number; best: number; boxes: Box[] }>();
  for (const o of objects) {
    if (o.label === 'person') continue;
    const noun = SAY[o.label] ?? o.label;
    const kind = kinds.get(noun) ?? { count: 0, best: 0, boxes: [] };
    kind.count++;
    kind.best = Math.max(kind.best, o.score);
    if (o.box) kind.boxes.push(o.box);
    kinds.set(noun, kind);
  }
  const mentioned = [...kinds.entries()]
    .sort((a, b) => b[1].best - a[1].best)
    .slice(0, options.maxObjectKinds ?? 3);
  const things = listJoin(mentioned.map(([noun, kind]) => phrase(noun, kind.count)));

  let sentence = '';
  if (subject && things) {
    // Objects whose centre lies inside a person are carried or worn ("with"); others stand beside them ("next to").
    const personBoxes = persons.flatMap((p) => (p.box ? [p.box] : []));
    // A face implies a body below it: what sits there (a tie, a phone) is worn or held.
    const bodyBoxes = [...personBoxes, ...faces.flatMap((f) => (f.box ? [bodyBelow(f.box)] : []))];
    const objectBoxes = mentioned.flatMap(([, kind]) => kind.boxes);
    const beside =
      bodyBoxes.length > 0 &&
      objectBoxes.length > 0 &&
      objectBoxes.filter((b) => !bodyBoxes.some((p) => centreInside(b, p))).length * 2 > objectBoxes.length;
    // A person box clearly taller than wide is someone standing.
    const standing = personBoxes.length > 0 && personBoxes.every((b) => b.height >= 1.6 * b.width);
    const relation = beside ? (standing ? 'standing next to' : 'next to') : 'with';
    sentence = `${subject} ${relation} ${things}`;
  } else if (subject) {
    sentence = subject.replace(/,$/, '');
  } else if (things) {
    sentence = things;
  }

  const minConfidence = options.minTextConfidence ?? 60;
  const quoted =
    input.text && input.text.confidence >= minConfidence
      ? quoteText(input.text.text, options.maxTextLength ?? 80)
      : null;
  if (quoted) {
    sentence = sentence ? `${sentence}; text reads '${quoted}'` : `Image with the text '${quoted}'`;
  }
  if (!sentence)
    return describeScene(input, options) ?? 'An image with no recognised people, objects or text.';
  return `${capitalise(sentence)}.`;
}

/** Names a colour in plain words from its RGB values. */
export function colourName({ r, g, b }: { r: number; g: number; b: number }): string {
  const max = Math.max(r, g, b) / 255;
  const min = Math.min(r, g, b) / 255;
  const lightness = (max + min) / 2;
  const chroma = max - min;
  if (chroma < 0.12) return lightness < 0.2 ? 'black' : lightness > 0.85 ? 'white' : 'grey';
  let hue: number;
  if (max === r / 255) hue = (((g - b) / 255 / chroma) % 6) * 60;
  else if (max === g / 255) hue = ((b - r) / 255 / chroma + 2) * 60;
  else hue = ((r - g) / 255 / chroma + 4) * 60;
  if (hue < 0) hue += 360;
  if (hue < 15 || hue >= 345) return lightness < 0.35 ? 'dark red' : 'red';
  if (hue < 45) return lightness < 0.45 ? 'brown' : 'orange';
  if (hue < 70) return lightness < 0.35 ? 'olive' : 'yellow';
  if (hue < 165) return 'green';
  if (hue < 195) return 'teal';
  if (hue < 255) return 'blue';
  if (hue < 290) return 'purple';
  return 'pink';
}

/**
 * When no person, object or legible text was found: what is still true of the picture (its shape, light
 * and main colour), what it may show (weaker detections), and whether some text was seen.
 */
function describeScene(input: AltTextInput, options: AltTextOptions): string | null {
  const hintScore = options.minHintScore ?? 0.15;
  const hints = [
    ...new Map(
      (input.objects ?? [])
        .filter((o) => o.score >= hintScore && o.label !== 'person')
        .sort((a, b) => b.score - a.score)
        .map((o) => [SAY[o.label] ?? o.label, o.score] as const),
    ).keys(),
  ].slice(0, 2);
  const someText =
    input.text &&
    input.text.confidence >= (options.minTextHintConfidence ?? 40) &&
    quoteText(input.text.text) !== null;
  const scene = input.scene;
  if (!scene && hints.length === 0 && !someText) return null;
  let noun = 'image';
  const adjectives: string[] = [];
  let colour = '';
  if (scene) {
    const ratio = scene.width / Math.max(1, scene.height);
    noun = ratio >= 1.2 ? 'landscape image' : ratio <= 0.83 ? 'portrait image' : 'square image';
    if (scene.brightness < 0.25) adjectives.push('dark');
    else if (scene.brightness > 0.75) adjectives.push('bright');
    colour = colourName(scene.dominant);
  }
  const head = [...adjectives, noun].join(' ');
  let sentence = `${/^[aeiou]/.test(head) ? 'An' : 'A'} ${head}`;
  if (colour) sentence += `, mostly ${colour}`;
  const extras: string[] = [];
  if (hints.length > 0) extras.push(`that may show ${listJoin(hints.map((h) => article(h)))}`);
  if (someText) extras.push(hints.length > 0 ? 'and some text' : 'with some text');
  if (extras.length > 0) sentence += `${colour ? ',' : ''} ${extras.join(' ')}`;
  return `${sentence}.`;
}
