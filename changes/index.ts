/** Public surface of the change history: diffs between listings, rug-pull findings, pins. */
export { diffHistory, diffListings, diffTool, releaseKind, wordDiff } from './diff.ts';
export { CHANGE_RULES, raiseFindings } from './findings.ts';
export type { ChangeRuleId } from './findings.ts';
export { hiddenUnicode, instructionPhrases, modelText, toolReferences } from './text.ts';
export { checkPins, differs, parseListing, parsePins, pinsOf, PinError } from './pins.ts';
export type { PinCheck, PinFile } from './pins.ts';
export { SEVERITIES } from './types.ts';
export type { AnnotationChange, ChangeFinding, ClassificationView, ListingDiff, ListingRef, ParameterChange, Severity, ToolChange, ToolSide, WordPart } from './types.ts';
