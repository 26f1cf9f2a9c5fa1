// Entry of a sandbox thread. Plain JS: it teaches the thread TypeScript, then loads the real code.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./thread-main.ts', import.meta.url).href);
