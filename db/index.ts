/** Public surface of the database layer. */
export { openStore, DEFAULT_DATA_DIR } from './open.ts';
export type { OpenStoreOptions } from './open.ts';
export { StoreError } from './errors.ts';
export { isDatabaseGone } from './gone.ts';
export { DB_RETRY_ENV, DEFAULT_DB_RETRY_MS, isConnectionLost, retrying } from './reconnect.ts';
export type { RetryRunner } from './reconnect.ts';
export type { StoreErrorCode } from './errors.ts';
export type {
  CatalogueEntry,
  ClassificationRecord,
  CrawlRunRecord,
  HistoryListing,
  StoredHistory,
  DiscoveryFindingInput,
  DiscoveryFindingRecord,
  IntrospectionRecord,
  ServerIdentity,
  ServerInput,
  ServerRecord,
  ServerVersionRecord,
  Store,
  ToolRecord,
  VersionCrawlState,
} from '../records/index.ts';
