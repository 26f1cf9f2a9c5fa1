import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Async<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  setData: (d: T) => void;
}

/** Runs `fn` when `deps` change; keeps the last data while reloading; ignores stale answers. */
export function useAsync<T>(fn: () => Promise<T>, deps: unknown[]): Async<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const seq = useRef(0);
  const run = useCallback(() => {
    const n = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    fn().then(
      (data) => n === seq.current && setState({ data, loading: false }),
      (error) => n === seq.current && setState((s) => ({ data: s.data, error, loading: false })),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  useEffect(run, [run]);
  return {
    data: state.data,
    error: state.error,
    loading: state.loading,
    reload: run,
    setData: (data: T) => setState({ data, loading: false }),
  };
}

export function useDebounced<T>(value: T, ms = 300): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/** Runs an action, keeping its busy state and its error for the button that started it. */
export function useAction<A extends unknown[], R>(fn: (...args: A) => Promise<R>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (...args: A): Promise<R | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await fn(...args);
    } catch (e) {
      setError(e);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, error, clear: () => setError(null) };
}

/** One page of a Relay connection, as every list query reads it. */
export interface Page<T> {
  edges: { node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
  totalCount?: number;
}

/**
 * A Relay list read a page at a time: the first page (read again whenever `deps` change; `first.data`
 * is its totalCount), then `more` appends the next one. `setItems` edits rows in place (live updates).
 */
export function usePaged<T>(fetchPage: (after: string | null) => Promise<Page<T>>, deps: unknown[]) {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const keep = (page: Page<T>) =>
    setCursor(page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null);
  const first = useAsync(async () => {
    const page = await fetchPage(null);
    setItems(page.edges.map((e) => e.node));
    keep(page);
    return page.totalCount ?? null;
  }, deps);
  const more = useAction(async () => {
    const page = await fetchPage(cursor);
    setItems((i) => [...i, ...page.edges.map((e) => e.node)]);
    keep(page);
  });
  return { items, setItems, first, more, hasMore: cursor !== null };
}
