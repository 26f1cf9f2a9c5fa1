import type http from 'node:http';

/** Listens, or fails with a message naming the fix (a taken port would otherwise go unnoticed). */
export function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (err.code === 'EADDRINUSE') {
        reject(
          new Error(
            `Port ${port} on ${host} is already in use (another media-ai API or another program): stop it, or set PORT to a free port`,
          ),
        );
      } else if (err.code === 'EACCES') {
        reject(new Error(`No permission to listen on port ${port}: set PORT to a port above 1023`));
      } else if (err.code === 'EADDRNOTAVAIL') {
        reject(
          new Error(`HOST ${host} is not an address of this machine: set HOST (e.g. 0.0.0.0 or 127.0.0.1)`),
        );
      } else reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
