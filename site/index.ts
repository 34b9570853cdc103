/**
 * The site stage: catalogue records in, static pages out (DESIGN.md §6).
 * `renderSite` builds every page in memory and `writeSite` writes them; `buildStreamedSite` (build.ts) renders and
 * writes a batch of servers at a time, and incrementally.
 */
export { renderSite, renderServerPages, renderCataloguePages } from './render.ts';
export { buildSite as buildStreamedSite, BUILD_DIR, DEFAULT_BATCH_SIZE } from './build.ts';
export type { BuildSiteOptions, BuildSiteResult, SiteBatch, SiteSource, StampedServer } from './build.ts';
export { assignServerSlugs } from './model.ts';
export { renderExport } from './export.ts';
export { registryApiPages, registryIndexPages, registryServerPages, REGISTRY_API_ROOT, STATIC_PAGE_SIZE, versionFileName } from './registry-api.ts';
export type { ExportedServer, RenderExportOptions } from './export.ts';
export { exportedServerSchema, importJsonl } from './import.ts';
export type { ImportSummary } from './import.ts';
export { writeSite, SITE_MARKER } from './write.ts';
export type { WriteSiteOptions } from './write.ts';
export { problemMessage, SiteInputError, SiteWriteError } from './errors.ts';
export type { SiteInputErrorCode, SiteWriteErrorCode } from './errors.ts';
export { serverSlug, toolSlug, assignSlugs, MAX_SLUG_LENGTH } from './slug.ts';
export type { SlugRequest } from './slug.ts';
export type { PublishProblem, SiteInput, SitePage } from './types.ts';
export { createSearchIndexer, SearchIndexError, SEARCH_BUNDLE_DIR } from './search/indexer.ts';
export type { SearchIndexer } from './search/indexer.ts';
export { cutSearchRecord } from './search/record.ts';
export type { SearchRecord } from './search/record.ts';
export type { SiteAsset } from './types.ts';
