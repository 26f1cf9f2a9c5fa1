import type { ESLint, Rule } from 'eslint';

export declare const guardedResolvers: Rule.RuleModule;
declare const plugin: ESLint.Plugin;
export default plugin;
