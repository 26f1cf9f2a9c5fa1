import { TranslateError } from '../../errors.js';
import { parseLanguage, type LanguageTag } from '../../languages.js';
import { expandPivotPairs, findRoute } from '../routing.js';
import type { EngineTranslation, LanguagePair, TranslationEngine } from '../types.js';
import { DEFAULT_MODES_DIR, discoverModes, readModeCommand, type ApertiumMode } from './modes.js';
import { NullFlushPipeline, type PipelineStats } from './pipeline.js';
import { fromApertiumStream, toApertiumStream } from './stream.js';

export interface ApertiumEngineOptions {
  /** Where the `.mode` files are (default /usr/share/apertium/modes). */
  readonly modesDir?: string;
  /** Keep `*` marks on unknown words (default false). */
  readonly markUnknown?: boolean;
  /** Per-request timeout base (default 20 s, plus 1 ms per character). */
  readonly timeoutMs?: number;
  /** Longest route, in hops, when no direct mode exists (default 2: one pivot language). */
  readonly maxHops?: number;
  /** Pivots tried first when several routes are as short (default eng, spa). */
  readonly preferredPivots?: readonly string[];
}

/**
 * Apertium, offline: one warm null-flush pipeline per mode, started on first use and kept for the life of
 * the process; pairs without a mode are translated through a pivot language (por→eng via spa).
 */
export class ApertiumEngine implements TranslationEngine {
  readonly id = 'apertium';
  private modesPromise: Promise<ApertiumMode[]> | null = null;
  private readonly pipelines = new Map<string, NullFlushPipeline>();

  constructor(private readonly options: ApertiumEngineOptions = {}) {}

  /** Installed modes, read once. */
  modes(): Promise<ApertiumMode[]> {
    this.modesPromise ??= discoverModes(this.options.modesDir ?? DEFAULT_MODES_DIR);
    return this.modesPromise;
  }

  /** Direct pairs and pivot routes over them. */
  async pairs(): Promise<LanguagePair[]> {
    return expandPivotPairs(await this.directPairs(), this.routeOptions());
  }

  async directPairs(): Promise<LanguagePair[]> {
    const modes = await this.modes();
    const seen = new Set<string>();
    const pairs: LanguagePair[] = [];
    for (const mode of modes) {
      const key = `${mode.from}-${mode.to}`;
      if (!seen.has(key)) pairs.push({ from: mode.from, to: mode.to, via: [] });
      seen.add(key);
    }
    return pairs;
  }

  async translate(texts: readonly string[], from: string, to: string): Promise<EngineTranslation> {
    const source = parseLanguage(from);
    const target = parseLanguage(to);
    if (source.iso3 === target.iso3) return { texts: [...texts], engine: this.id, route: [source.iso3] };
    const route = this.route(await this.directPairs(), source.iso3, target.iso3);
    if (!route) {
      throw new TranslateError(
        'UNSUPPORTED_PAIR',
        `Apertium cannot translate ${source.name} to ${target.name}: no installed mode or pivot route.`,
        {
          from: source.iso3,
          to: target.iso3,
          engine: this.id,
        },
      );
    }
    let current = [...texts];
    for (let hop = 0; hop + 1 < route.length; hop++) {
      const isLast = hop + 2 === route.length;
      const mode = await this.modeFor(route[hop], route[hop + 1], isLast ? target : null);
      const pipeline = await this.pipeline(mode);
      current = await Promise.all(current.map((text) => translateOne(pipeline, text)));
    }
    return { texts: current, engine: this.id, route };
  }

  /** Pipelines started so far, by mode name. */
  stats(): Record<string, PipelineStats> {
    return Object.fromEntries([...this.pipelines].map(([name, pipeline]) => [name, pipeline.stats()]));
  }

  async close(): Promise<void> {
    await Promise.all([...this.pipelines.values()].map((pipeline) => pipeline.close()));
  }

  private route(direct: LanguagePair[], from: string, to: string): string[] | null {
    return findRoute(direct, from, to, this.routeOptions());
  }

  private routeOptions(): { maxHops: number; preferredPivots?: readonly string[] } {
    return { maxHops: this.options.maxHops ?? 2, preferredPivots: this.options.preferredPivots };
  }

  private async modeFor(from: string, to: string, target: LanguageTag | null): Promise<ApertiumMode> {
    const candidates = (await this.modes()).filter((m) => m.from === from && m.to === to);
    const wanted = target?.variant ?? null;
    const mode =
      (wanted && candidates.find((m) => m.variant?.toLowerCase() === wanted.toLowerCase())) ||
      candidates.find((m) => m.variant === null) ||
      candidates[0];
    if (!mode)
      throw new TranslateError('UNSUPPORTED_PAIR', `No Apertium mode for ${from}-${to}`, {
        from,
        to,
        engine: this.id,
      });
    return mode;
  }

  private async pipeline(mode: ApertiumMode): Promise<NullFlushPipeline> {
    let pipeline = this.pipelines.get(mode.name);
    if (!pipeline) {
      const command = await readModeCommand(mode, { markUnknown: this.options.markUnknown });
      pipeline =
        this.pipelines.get(mode.name) ??
        new NullFlushPipeline({ name: mode.name, command, timeoutMs: this.options.timeoutMs });
      this.pipelines.set(mode.name, pipeline);
    }
    return pipeline;
  }
}

async function translateOne(pipeline: NullFlushPipeline, text: string): Promise<string> {
  const leading = /^\s*/.exec(text)?.[0] ?? '';
  const trailing = /\s*$/.exec(text)?.[0] ?? '';
  const core = text.trim();
  if (core === '') return text;
  // A blank before the NUL makes the stages release the last word. It must be a newline: with a space,
  // post-generation drops the word after a contraction ("of the day" came out as "de el", not "del día").
  const answer = await pipeline.request(`${toApertiumStream(core)}\n`);
  let output = fromApertiumStream(answer, core).trim();
  // Dropped words (pronouns, articles) leave their blanks behind: "para  leerlo".
  if (!/ {2}/.test(core)) output = output.replace(/ {2,}/g, ' ');
  return leading + output + trailing;
}
