import { Kind, type GraphQLResolveInfo } from 'graphql';
import {
  MAX_BATCH_CHARS,
  MAX_BATCH_TEXTS,
  type TextTranslationGQL,
  type TranslateArgs,
} from './translate.types.js';

type Direction = Omit<TranslateArgs, 'text'>;
type TranslateMany = (texts: readonly string[], direction: Direction) => Promise<TextTranslationGQL[]>;

interface Waiter {
  readonly text: string;
  readonly resolve: (value: TextTranslationGQL) => void;
  readonly reject: (error: unknown) => void;
}

/** How long to wait for more fields when the request's field count is unknown or some never came. */
const QUIET_MS = 10;

/**
 * The `translate` fields of one GraphQL request (a client sending ten fields as aliases) answered together,
 * as one batch per direction and format within the batch limits. The fields reach their resolvers one by
 * one (argument validation is asynchronous), so the batch goes when every field the operation names has
 * come, or after a short quiet time when some never come (refused by validation, under a fragment).
 * When a batch fails (one field's text cannot be translated), each of its fields is translated alone, so
 * each gets its own answer or error.
 */
export class TranslateCoalescer {
  private groups = new Map<string, { direction: Direction; waiters: Waiter[] }>();
  private arrived = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly translateMany: TranslateMany,
    /** The number of translate fields in the operation, when it can be told. */
    private readonly expected: number | null,
  ) {}

  /** The number of root fields named like this one in the operation (null when fragments hide them). */
  static fieldsLike(info: GraphQLResolveInfo): number | null {
    let count = 0;
    for (const selection of info.operation.selectionSet.selections) {
      if (selection.kind !== Kind.FIELD) return null;
      if (selection.name.value === info.fieldName) count++;
    }
    return count;
  }

  translate(text: string, direction: Direction): Promise<TextTranslationGQL> {
    const key = `${direction.from}\u0001${direction.to}\u0001${direction.format}`;
    let group = this.groups.get(key);
    if (!group) {
      group = {
        direction: { from: direction.from, to: direction.to, format: direction.format },
        waiters: [],
      };
      this.groups.set(key, group);
    }
    const waiters = group.waiters;
    const answer = new Promise<TextTranslationGQL>((resolve, reject) =>
      waiters.push({ text, resolve, reject }),
    );
    this.arrive();
    return answer;
  }

  /** A field that was answered without translating (refused before): one fewer to wait for. */
  skip(): void {
    this.arrive();
  }

  private arrive(): void {
    this.arrived++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.expected !== null && this.arrived >= this.expected) {
      this.flushAll();
    } else {
      this.timer = setTimeout(() => this.flushAll(), QUIET_MS);
    }
  }

  private flushAll(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const groups = [...this.groups.values()];
    this.groups = new Map();
    for (const group of groups) void this.flush(group.direction, group.waiters);
  }

  private async flush(direction: Direction, waiters: readonly Waiter[]): Promise<void> {
    const chunks: Waiter[][] = [];
    let chars = 0;
    for (const waiter of waiters) {
      const last = chunks.at(-1);
      if (!last || last.length >= MAX_BATCH_TEXTS || chars + waiter.text.length > MAX_BATCH_CHARS) {
        chunks.push([waiter]);
        chars = waiter.text.length;
      } else {
        last.push(waiter);
        chars += waiter.text.length;
      }
    }
    await Promise.all(chunks.map((chunk) => this.answer(direction, chunk)));
  }

  private async answer(direction: Direction, chunk: readonly Waiter[]): Promise<void> {
    try {
      const results = await this.translateMany(
        chunk.map((w) => w.text),
        direction,
      );
      chunk.forEach((w, k) => w.resolve(results[k]));
    } catch (error) {
      if (chunk.length === 1) return chunk[0].reject(error);
      await Promise.all(chunk.map((w) => this.answer(direction, [w])));
    }
  }
}
