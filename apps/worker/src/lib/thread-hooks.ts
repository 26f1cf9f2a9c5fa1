/**
 * Cleanup to run when a sandbox thread is closed on purpose (worker shutdown): handlers that keep
 * engines warm (decoder processes, model sessions) register how to stop them.
 */
const hooks: (() => Promise<void> | void)[] = [];

export function onThreadClose(fn: () => Promise<void> | void): void {
  hooks.push(fn);
}

export async function runThreadCloseHooks(): Promise<void> {
  await Promise.allSettled(hooks.splice(0).map(async (fn) => fn()));
}
