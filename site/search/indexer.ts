/**
 * The site's search index, built with Pagefind (https://pagefind.app; the `pagefind` npm package runs its platform
 * binary as a service). A build feeds it one {@link SearchRecord} per tool with {@link SearchIndexer.add} and calls
 * {@link SearchIndexer.finish} once; the result is the Pagefind bundle (`pagefind/pagefind.js`, its worker and
 * WebAssembly, the index split into chunks by word, one filter file per filter, one fragment per result or, above
 * {@link MAX_FRAGMENT_FILES} results, fragments grouped in shared files) as files to write under the site root; its
 * ready-made UI files are left out. The browser downloads only the chunks and fragments a query needs.
 */
import { close, createIndex, type PagefindIndex } from 'pagefind';
import type { SiteAsset } from '../types.ts';
import { searchDocument } from './document.ts';
import type { SearchRecord } from './record.ts';

/** Where the bundle lives under the site root. */
export const SEARCH_BUNDLE_DIR = 'pagefind';
/** Records sent to the Pagefind service before waiting for its answers. */
const IN_FLIGHT = 64;
/**
 * Fragment files (a result's name, description, filters) at most; above this Pagefind groups fragments into shared
 * files, so a catalogue of 150,000 tools does not become 150,000 small files on the static host.
 */
const MAX_FRAGMENT_FILES = 5_000;

/** Thrown when Pagefind refuses a record or fails to build the bundle. `code`: `SEARCH_INDEX_FAILED`. */
export class SearchIndexError extends Error {
  readonly code = 'SEARCH_INDEX_FAILED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SearchIndexError';
  }
}

/** Takes records one at a time; see the module comment. */
export interface SearchIndexer {
  /**
   * Queues one tool. Synchronous, so a synchronous renderer can call it; at most {@link IN_FLIGHT} records are with
   * the Pagefind service at once and the rest wait here (an asynchronous caller awaits {@link drain} between batches
   * to keep that queue short).
   */
  add(record: SearchRecord): void;
  /** Resolves when every record added so far has been answered by the Pagefind service. */
  drain(): Promise<void>;
  /** Records queued or with the service, not yet indexed. */
  readonly backlog: number;
  /** How many records were added. */
  readonly count: number;
  /**
   * Waits for every record, builds the bundle and stops the Pagefind service.
   * @returns the bundle's files, paths under {@link SEARCH_BUNDLE_DIR}/.
   * @throws {@link SearchIndexError} when Pagefind reported an error for any record or for the build.
   */
  finish(): Promise<SiteAsset[]>;
  /** Stops the Pagefind service without building (after a failed render). */
  close(): Promise<void>;
}

/** Pagefind's ready-made interfaces and highlighter, which the site does not use (it has its own, `assets/search.js`). */
const UNUSED = /(^|\/)pagefind-(ui|modular-ui|component-ui|highlight)\.(js|css)$/;

const TYPES: Array<[RegExp, string]> = [
  [/\.js$/, 'text/javascript; charset=utf-8'],
  [/\.json$/, 'application/json'],
  [/\.css$/, 'text/css; charset=utf-8'],
  [/\.wasm\./, 'application/wasm'],
];

function contentType(path: string): string {
  return TYPES.find(([pattern]) => pattern.test(path))?.[1] ?? 'application/octet-stream';
}

/**
 * Starts the Pagefind service and an empty index (English only; no playground).
 * @throws {@link SearchIndexError} when the service does not start (its platform binary is missing).
 */
export async function createSearchIndexer(): Promise<SearchIndexer> {
  let created: { errors: string[]; index?: PagefindIndex };
  try {
    created = await createIndex({ forceLanguage: 'en', writePlayground: false, maxFragments: MAX_FRAGMENT_FILES });
  } catch (error) {
    throw new SearchIndexError(`search index: the Pagefind service did not start (is the "pagefind" package installed with its platform binary?): ${String(error)}`, { cause: error });
  }
  const index = created.index;
  if (index === undefined) throw new SearchIndexError(`search index: Pagefind could not create an index: ${created.errors.join('; ')}`);
  const queue: SearchRecord[] = [];
  const errors: string[] = [];
  let inFlight = 0;
  let count = 0;
  let waiters: Array<() => void> = [];

  const settle = () => {
    if (queue.length === 0 && inFlight === 0) {
      for (const wake of waiters) wake();
      waiters = [];
    }
  };
  const pump = () => {
    while (inFlight < IN_FLIGHT && queue.length > 0) {
      const record = queue.shift()!;
      inFlight++;
      index
        .addHTMLFile({ url: `/${record.path}`, content: searchDocument(record) })
        .then(
          (answer) => {
            if (answer.errors.length > 0) errors.push(`${record.path}: ${answer.errors.join('; ')}`);
          },
          (error: unknown) => errors.push(`${record.path}: ${String(error)}`),
        )
        .finally(() => {
          inFlight--;
          pump();
          settle();
        });
    }
  };
  const idle = () => new Promise<void>((resolve) => {
    waiters.push(resolve);
    settle();
  });

  return {
    add(record) {
      count++;
      queue.push(record);
      pump();
    },
    drain: idle,
    get backlog() {
      return queue.length + inFlight;
    },
    get count() {
      return count;
    },
    async close() {
      queue.length = 0;
      await close();
    },
    async finish() {
      try {
        await idle();
        if (errors.length > 0) throw new SearchIndexError(`search index: Pagefind refused ${errors.length} record(s); first: ${errors[0]}`);
        const built = await index.getFiles();
        if (built.errors.length > 0) throw new SearchIndexError(`search index: Pagefind could not build the bundle: ${built.errors.join('; ')}`);
        return built.files.filter((file) => !UNUSED.test(file.path)).map((file) => {
          const path = `${SEARCH_BUNDLE_DIR}/${file.path.replace(/^\/+/, '')}`;
          return { path, contentType: contentType(path), body: file.content };
        });
      } finally {
        await close();
      }
    },
  };
}
