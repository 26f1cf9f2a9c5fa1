// What the API (short texts, inline) and the worker (jobs) share to generate for a newsroom: its policy,
// glossary and active models, the engines, and the GeneratedItem / LlmUsage rows.
export * from './types.js';
export * from './policy.js';
export * from './models.js';
export * from './newsroom.js';
export * from './llm.js';
export * from './generate.js';
export * from './store.js';
export * from './source.js';
export * from './registry.js';
export * from './review.js';
