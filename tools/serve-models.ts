// CLI: serves a directory of model packages over HTTP (ranges, CORS, CORP) until killed.
// Usage: tsx tools/serve-models.ts --root DIR [--port N] [--host H] [--throttle BYTES_PER_SEC]

import { parseArgs } from 'node:util';
import { createModelServer, type ServerPlugin } from './serve/modelServer';
import { throttle } from './serve/throttle';

const USAGE =
  'usage: tsx tools/serve-models.ts --root DIR [--port N] [--host H] [--throttle BYTES_PER_SEC]';

function intOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} must be a whole number`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      root: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      throttle: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.root) {
    console.log(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const plugins: ServerPlugin[] = [];
  const rate = intOption(values.throttle, 'throttle', 0);
  if (rate > 0) plugins.push(throttle(rate));

  const server = await createModelServer({
    root: values.root,
    port: intOption(values.port, 'port', 8787),
    host: values.host ?? '127.0.0.1',
    plugins,
  });
  console.log(`Serving ${values.root} at ${server.url}${rate > 0 ? ` (${rate} B/s)` : ''}`);

  const stop = () => {
    server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
