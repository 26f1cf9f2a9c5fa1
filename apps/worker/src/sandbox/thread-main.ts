import { parentPort } from 'node:worker_threads';
import { jobFailureOf, type JobName } from '@media-ai/jobs';
import { handlerContext } from '../runtime/context.js';
import { allHandlers, indexHandlers } from '../handlers.js';
import type { FromThread, ToThread } from './protocol.js';
import { runThreadCloseHooks } from '../lib/thread-hooks.js';

if (!parentPort) throw new Error('thread-main must run in a worker thread');
const port = parentPort;
const handlers = indexHandlers(allHandlers);
const running = new Map<number, AbortController>();
const send = (m: FromThread) => port.postMessage(m);

port.on('message', (msg: ToThread) => {
  if (msg.type === 'close') {
    void runThreadCloseHooks().finally(() => send({ type: 'closed' }));
    return;
  }
  if (msg.type === 'abort') {
    running.get(msg.runId)?.abort(new Error(msg.reason));
    return;
  }
  const ac = new AbortController();
  running.set(msg.runId, ac);
  const handler = handlers.get(msg.name as JobName);
  const run = async () => {
    if (!handler) throw new Error(`No handler for ${msg.name}`);
    return handler.run(
      msg.payload,
      handlerContext({
        jobId: msg.jobId,
        newsroomId: msg.newsroomId,
        attempt: msg.attempt,
        signal: ac.signal,
        progress: (fraction, message, data) =>
          send({ type: 'progress', runId: msg.runId, fraction, message, data }),
        log: {
          info: (m, data) => send({ type: 'log', level: 'info', msg: m, data }),
          warn: (m, data) => send({ type: 'log', level: 'warn', msg: m, data }),
          error: (m, data) => send({ type: 'log', level: 'error', msg: m, data }),
        },
      }),
    );
  };
  run()
    .then(
      (result) => send({ type: 'done', runId: msg.runId, result }),
      (err: unknown) => {
        // The failure crosses the thread as code + retryable, decided here by the one mapping.
        const f = jobFailureOf(err);
        send({
          type: 'failed',
          runId: msg.runId,
          error: { name: 'EngineError', message: f.message, code: f.code, retryable: f.retryable },
        });
      },
    )
    .finally(() => running.delete(msg.runId));
});
