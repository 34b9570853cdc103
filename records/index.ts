/**
 * Shared record types: what the stages hand each other (package specs, introspections, tool definitions,
 * classifications, policies, discovery records) and the Store interface every stage reads and writes through, plus
 * the canonical tool hash, the retry policy of a stored attempt and own-property helpers for objects keyed by names from data. A leaf: it imports no stage (the policy types come from policy/types.ts, itself a leaf), and every stage imports it
 * through this file.
 */
export { PACKAGE_REGISTRY_TYPES, REGISTRIES } from './registry.ts';
export type { Registry } from './registry.ts';
export { CRAWLER_NOTE, FAILURE_REASONS, formatPackageSpec } from './introspection.ts';
export type { FailureReason, Introspection, IntrospectionMethod, IntrospectionTimings, OptionalListFailure, OptionalListMethod, PackageSpec, PromptDefinition, ResourceDefinition, ResourceTemplateDefinition } from './introspection.ts';
export { CATEGORIES, RISKS, SIGNAL_KINDS } from './tool.ts';
export type { Category, Classification, ClassificationMethod, Evidence, EvidenceSource, Risk, ServerContext, Signal, SignalKind, ToolAnnotations, ToolDefinition } from './tool.ts';
export type { Condition, ConditionOp, DenyRule, Limit, Policy, ToolRule, Window } from '../policy/types.ts';
export type { CatalogueEntry, ClassificationRecord, CrawlRunRecord, DiscoveryFindingInput, DiscoveryFindingRecord, IntrospectionRecord, ServerIdentity, ServerInput, ServerImport, ServerRecord, ServerVersionRecord, Store, ToolRecord, HistoryListing, StoredHistory, VersionCrawlState, VersionNeedingCodeEffects } from './store.ts';
export { NOT_SERVER_CODES, SOURCE_NAMES } from './discovery.ts';
export type { DeclaredArgument, DeclaredEnvVar, DeclaredHeader, DiscoveredServer, Finding, NotServer, NotServerCode, PackageRef, RemoteRef, RepositoryRef, ServerCandidate, SourceName } from './discovery.ts';
export { listingHash, toolHash } from './tool-hash.ts';
export { changesState, EFFECT_KINDS, EFFECT_SCOPES, firstNameWord, isHousekeeping, isWritingEffect, undeclaredEffect, WRITING_EFFECTS } from './code-effects.ts';
export type { CodeEffect, EffectKind, EffectScope, NamedCodeEffects, ToolCodeEffects, UndeclaredEffect } from './code-effects.ts';
export { CRAWLER_VERSION, MAX_TRANSIENT_ATTEMPTS, retryable } from './retry.ts';
export { assignOwn, getOwn, setOwn } from './own.ts';
export { seededRandom, shuffleInPlace } from './prng.ts';
