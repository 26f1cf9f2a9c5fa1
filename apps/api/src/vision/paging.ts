import { DomainError } from '@media-ai/core';
import {
  decodeCursor,
  encodeCursor,
  MAX_PAGE_SIZE,
  type Connection,
  type PageArgs,
} from '../common/pagination.js';

/** A Relay connection over a list already computed and ordered in memory (ranked results); the cursor is the item id. */
export function paginateInMemory<T extends { id: string }>(items: T[], args: PageArgs): Connection<T> {
  const first = Math.min(args.first, MAX_PAGE_SIZE);
  let start = 0;
  if (args.after) {
    const id = decodeCursor(args.after);
    const at = items.findIndex((item) => item.id === id);
    if (at < 0)
      throw new DomainError('BAD_USER_INPUT', 'after is not a cursor of this result; start again without it');
    start = at + 1;
  }
  const page = items.slice(start, start + first);
  return {
    edges: page.map((node) => ({ cursor: encodeCursor(node.id), node })),
    pageInfo: {
      hasNextPage: start + first < items.length,
      endCursor: page.length ? encodeCursor(page[page.length - 1].id) : null,
    },
    totalCount: items.length,
  };
}
