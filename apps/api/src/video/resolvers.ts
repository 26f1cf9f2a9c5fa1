import { VideoResolver, VideoSceneResolver } from './video.resolver.js';

/** GraphQL resolver classes of the video area. */
export const videoResolvers: Function[] = [VideoResolver, VideoSceneResolver];
