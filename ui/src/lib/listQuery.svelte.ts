// One way for a screen to list a register: the search box is debounced, any other filter
// reloads from the first page at once, paging and sorting reload the page, and only the
// answer to the newest query is shown (a slow answer to an earlier one is dropped).
import { untrack } from 'svelte';
import type { AppError } from '$lib/api';
import { notifyError } from '$lib/notices.svelte';

/** How long typing pauses before a search runs. */
export const SEARCH_DEBOUNCE_MS = 150;

/** What every list query holds besides the register's own filters. */
export type Paging<S> = { search: string; offset: number; limit: number; sort: S; descending: boolean };

export type ListQueryOptions<Q, R, S> = {
  /** Asks the backend for one page (or one list). */
  fetch: (query: Q) => Promise<R>;
  /** The query: the screen's own filters (read here, so changing one reloads) plus paging. */
  build: (paging: Paging<S>) => Q;
  limit?: number;
  sort?: S;
  descending?: boolean;
  debounceMs?: number;
};

export type ListQuery<R, S> = {
  /** The newest answer (null until the first arrives). */
  readonly result: R | null;
  readonly loading: boolean;
  search: string;
  readonly offset: number;
  readonly limit: number;
  readonly sort: S;
  readonly descending: boolean;
  /** Call from the search box's input event: runs the search once typing pauses. */
  searched: () => void;
  /** Goes to another page. */
  goTo: (offset: number) => void;
  /** Sorts by `key`; sorting again by the same key turns the order around. */
  sortBy: (key: S) => void;
  /** Reloads the current page (after an import, a save, an archive). */
  reload: () => Promise<void>;
};

/** Must be called while a component initialises (it sets up an effect). */
export function createListQuery<Q, R, S = null>(options: ListQueryOptions<Q, R, S>): ListQuery<R, S> {
  const s = $state({
    result: null as R | null,
    loading: false,
    search: '',
    offset: 0,
    sort: (options.sort ?? null) as S,
    descending: options.descending ?? false,
  });
  const limit = options.limit ?? 100;
  let latest = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const paging = (): Paging<S> => ({ search: s.search, offset: s.offset, limit, sort: s.sort, descending: s.descending });

  async function load(): Promise<void> {
    const mine = ++latest;
    s.loading = true;
    try {
      const answer = await options.fetch(untrack(() => options.build(paging())));
      if (mine === latest) s.result = answer;
    } catch (err) {
      if (mine === latest) notifyError(err as AppError);
    } finally {
      if (mine === latest) s.loading = false;
    }
  }

  // Any filter the screen reads in `build` reloads from the first page, at once.
  $effect(() => {
    options.build({ search: '', offset: 0, limit, sort: untrack(() => s.sort), descending: false });
    untrack(() => {
      s.offset = 0;
      void load();
    });
  });

  return {
    get result() {
      return s.result;
    },
    get loading() {
      return s.loading;
    },
    get search() {
      return s.search;
    },
    set search(value: string) {
      s.search = value;
    },
    get offset() {
      return s.offset;
    },
    limit,
    get sort() {
      return s.sort;
    },
    get descending() {
      return s.descending;
    },
    searched() {
      clearTimeout(timer);
      timer = setTimeout(() => {
        s.offset = 0;
        void load();
      }, options.debounceMs ?? SEARCH_DEBOUNCE_MS);
    },
    goTo(offset: number) {
      s.offset = Math.max(0, offset);
      void load();
    },
    sortBy(key: S) {
      if (s.sort === key) s.descending = !s.descending;
      else {
        s.sort = key;
        s.descending = false;
      }
      s.offset = 0;
      void load();
    },
    reload: load,
  };
}
