import { createServer } from 'node:net';

/** A port that was free a moment ago (the OS picks it), for servers that need one on the command line. */
export const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
