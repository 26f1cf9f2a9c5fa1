import { GraphicsResolver } from './graphics.resolver.js';

/** GraphQL resolver classes of the graphics area. */
export const graphicsResolvers: Function[] = [GraphicsResolver];
