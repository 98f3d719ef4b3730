// A forwarding HTTP proxy that the test browser uses for every request, with
// a switch that cuts the "network": when off, requests die without reaching
// any server, as on a device with no connection. Playwright's setOffline()
// misses the browser's own traffic (such as service-worker update checks),
// so the offline tests use both.

import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface NetworkSwitch {
  /** Chromium flags that send all traffic, loopback included, through the switch. */
  chromiumArgs: string[];
  /** While true, every request is refused before it reaches a server. */
  offline: boolean;
  /** `METHOD url` of each request refused while offline. */
  refused: string[];
  close(): Promise<void>;
}

export async function createNetworkSwitch(): Promise<NetworkSwitch> {
  const state = { offline: false, refused: [] as string[] };
  const server = createServer((req, res) => {
    if (state.offline) {
      state.refused.push(`${req.method} ${req.url}`);
      req.socket.destroy();
      return;
    }
    const target = new URL(req.url ?? '');
    const upstream = request(target, { method: req.method, headers: req.headers }, (response) => {
      res.writeHead(response.statusCode ?? 502, response.statusMessage, response.rawHeaders);
      response.pipe(res);
      // A browser that gives up on a body closes its connection: so does the proxy
      // upstream, or the server would go on sending into the proxy's buffers.
      res.on('close', () => {
        if (!response.complete) response.destroy();
      });
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req, socket) => {
    // Tests only speak plain HTTP on loopback.
    state.refused.push(`CONNECT ${req.url}`);
    socket.destroy();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    chromiumArgs: [`--proxy-server=http://127.0.0.1:${port}`, '--proxy-bypass-list=<-loopback>'],
    get offline() {
      return state.offline;
    },
    set offline(value: boolean) {
      state.offline = value;
    },
    refused: state.refused,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
