import type { AuthChecker } from 'type-graphql';
import { DomainError } from '@media-ai/core';
import type { Context } from '../common/context.js';

/**
 * Role sets for @Authorized. ADMIN may do everything; EDITOR runs the newsroom's content and AI;
 * APP is a product app: reads content, sends interactions, asks for recommendations.
 */
export const Roles = {
  any: ['ADMIN', 'EDITOR', 'APP'],
  editor: ['ADMIN', 'EDITOR'],
  admin: ['ADMIN'],
} as const;

export const authChecker: AuthChecker<Context> = ({ context }, roles) => {
  if (!context.client) {
    throw new DomainError('UNAUTHENTICATED', 'Send an API key: Authorization: Bearer <key>');
  }
  if (roles.length === 0 || roles.includes(context.client.role)) return true;
  throw new DomainError(
    'FORBIDDEN',
    `This needs the ${roles.filter((r) => r !== 'ADMIN').join(' or ') || 'ADMIN'} role; your key has ${context.client.role}`,
  );
};
