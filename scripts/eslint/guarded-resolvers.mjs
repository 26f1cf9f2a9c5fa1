/**
 * ESLint rule: every type-graphql operation (@Query, @Mutation, @Subscription, @FieldResolver) carries
 * @Authorized, on the method or on its resolver class, so no field of the schema answers without a key.
 * The decorators are recognised by what they are imported as from 'type-graphql'.
 */
const OPERATIONS = new Set(['Query', 'Mutation', 'Subscription', 'FieldResolver']);

/** The imported name of a decorator (`@Query(...)` or `@Query`), or null when it is not type-graphql's. */
function decoratorName(decorator, imported) {
  const e = decorator.expression;
  const callee = e.type === 'CallExpression' ? e.callee : e;
  return callee.type === 'Identifier' ? (imported.get(callee.name) ?? null) : null;
}

/** @type {import('eslint').Rule.RuleModule} */
export const guardedResolvers = {
  meta: {
    type: 'problem',
    docs: {
      description: 'Every type-graphql query, mutation, subscription and field resolver is @Authorized',
    },
    schema: [],
    messages: {
      unguarded:
        '{{method}} is a GraphQL @{{operation}} without @Authorized: add @Authorized(...Roles.any), Roles.editor or Roles.admin',
    },
  },
  create(context) {
    /** Local name → type-graphql's name. */
    const imported = new Map();
    return {
      ImportDeclaration(node) {
        if (node.source.value !== 'type-graphql') return;
        for (const s of node.specifiers) {
          if (s.type === 'ImportSpecifier') imported.set(s.local.name, s.imported.name ?? s.imported.value);
        }
      },
      MethodDefinition(node) {
        const names = (node.decorators ?? []).map((d) => decoratorName(d, imported));
        const operation = names.find((n) => n !== null && OPERATIONS.has(n));
        if (!operation || names.includes('Authorized')) return;
        const owner = node.parent.parent;
        if ((owner.decorators ?? []).some((d) => decoratorName(d, imported) === 'Authorized')) return;
        const method = node.key.type === 'Identifier' ? node.key.name : context.sourceCode.getText(node.key);
        context.report({ node: node.key, messageId: 'unguarded', data: { method, operation } });
      },
    };
  },
};

export default { rules: { 'guarded-resolvers': guardedResolvers } };
