import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { CloseCode, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import type { Logger } from 'pino';
import type { WebSocket, WebSocketServer } from 'ws';

/** A connection's writes wait for the network only above this much unsent data (backpressure). */
const HIGH_WATER_BYTES = 1 << 20;
/** A client that does not answer a ping within this long is dropped; pings go out as often. */
const KEEP_ALIVE_MS = 12_000;

export interface SubscriptionExtra {
  socket: WebSocket;
  request: IncomingMessage;
}

/**
 * GraphQL subscriptions (the graphql-transport-ws protocol of graphql-ws) over `ws`, for bursts of
 * events. graphql-ws's own adapter waits for every message to reach the network before it sends the
 * next, so each event of a burst costs a system call and a turn of the event loop. Here a message
 * waits only when the connection has more than 1 MiB unsent (a slow client still slows its own stream,
 * never the process's memory), and the socket is corked for the rest of the event-loop turn after a
 * write, so the events relayed together leave in one write.
 */
export function serveSubscriptions(
  options: ServerOptions<Record<string, unknown> | undefined, SubscriptionExtra>,
  wss: WebSocketServer,
  log: Logger,
): { dispose(): Promise<void> } {
  const server = makeServer(options);
  wss.options.handleProtocols = handleProtocols;
  wss.on('error', (err) => log.error({ err: err.message }, 'WebSocket server error'));
  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    const raw: Socket = request.socket;
    let corked = false;
    const write = (data: string) =>
      new Promise<void>((resolve, reject) => {
        if (socket.readyState !== socket.OPEN) return resolve();
        if (!corked) {
          corked = true;
          raw.cork();
          setImmediate(() => {
            corked = false;
            raw.uncork();
          });
        }
        if (socket.bufferedAmount < HIGH_WATER_BYTES) {
          socket.send(data, (err) => err && log.debug({ err: err.message }, 'subscription write failed'));
          resolve();
        } else socket.send(data, (err) => (err ? reject(err) : resolve()));
      });
    socket.once('error', (err) => {
      log.warn({ err: err.message }, 'WebSocket connection error');
      socket.close(CloseCode.InternalServerError, 'Internal server error');
    });
    let pongWait: NodeJS.Timeout | null = null;
    const ping = setInterval(() => {
      if (socket.readyState !== socket.OPEN) return;
      pongWait = setTimeout(() => socket.terminate(), KEEP_ALIVE_MS);
      socket.once('pong', () => {
        if (pongWait) clearTimeout(pongWait);
        pongWait = null;
      });
      socket.ping();
    }, KEEP_ALIVE_MS);
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: write,
        close: (code, reason) => socket.close(code, reason),
        onMessage: (cb) =>
          socket.on('message', async (message) => {
            try {
              await cb(String(message));
            } catch (err) {
              log.error({ err: (err as Error).message }, 'subscription message handling failed');
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            }
          }),
      },
      { socket, request },
    );
    socket.once('close', (code, reason) => {
      if (pongWait) clearTimeout(pongWait);
      clearInterval(ping);
      void closed(code, String(reason));
    });
  });
  return {
    async dispose() {
      for (const client of wss.clients) client.close(1001, 'Going away');
      wss.removeAllListeners();
      await new Promise<void>((resolve, reject) => wss.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
