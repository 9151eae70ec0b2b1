/** The engine's public surface: adapters (language server, CLI, preview) import from here only. */
export * from './types';
export * from './model';
export * from './ast';
export * from './validate';
export { RULES } from './rules';
export type { Rule, RuleContext } from './rules';
export { hoverAt, type HoverContext, type HoverResult } from './hover';
export { completeAt, type CompletionContext, type CompletionItem } from './completion';
export { appendToSequence, setMapEntries, replaceScalar, renameKey, removeSequenceItem, removeMapEntry, insertCommentLineAbove, disableRuleOnLine, applyEdits, detectStyle, type TextStyle } from './edits';
export { WELL_KNOWN_TAINTS, WELL_KNOWN_NODE_LABELS, wellKnownTaint, wellKnownNodeLabel } from './taints';
