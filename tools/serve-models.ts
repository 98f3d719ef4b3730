// CLI: serves a directory of model packages over HTTP (ranges, CORS, CORP) until
// killed, optionally throttled and with seeded fault injection for manual testing.

import { parseArgs } from 'node:util';
import {
  ALL_FAULT_KINDS,
  type Fault,
  type FaultInjectionPlugin,
  faultInjection,
  seededFaults,
} from './serve/faults';
import { createModelServer, type ServerPlugin } from './serve/modelServer';
import { throttle } from './serve/throttle';

const USAGE = `usage: tsx tools/serve-models.ts --root DIR [options]
  --port N                  port (default 8787)
  --host H                  address to listen on (default 127.0.0.1)
  --throttle BYTES_PER_SEC  pace every response body to this rate
  --faults-seed N           inject seeded, reproducible faults
  --faults-probability P    chance a GET gets a fault, 0..1 (default 0.1)
  --faults-kinds a,b        kinds to draw from (default all but change-file, which
                            rewrites files under --root; restored on exit):
                            ${ALL_FAULT_KINDS.join(', ')}
  --faults-stall-ms N       how long a stall lasts (default: until the client gives up)`;

function intOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} must be a whole number`);
  return n;
}

function faultKinds(value: string | undefined): Fault['kind'][] {
  if (value === undefined) return ALL_FAULT_KINDS.filter((k) => k !== 'change-file');
  const kinds = value.split(',').map((k) => k.trim());
  for (const kind of kinds) {
    if (!ALL_FAULT_KINDS.includes(kind as Fault['kind']))
      throw new Error(`--faults-kinds: unknown kind "${kind}"`);
  }
  return kinds as Fault['kind'][];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      root: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      throttle: { type: 'string' },
      'faults-seed': { type: 'string' },
      'faults-probability': { type: 'string' },
      'faults-kinds': { type: 'string' },
      'faults-stall-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.root) {
    console.log(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const plugins: ServerPlugin[] = [];
  const notes: string[] = [];
  const rate = intOption(values.throttle, 'throttle', 0);
  if (rate > 0) {
    plugins.push(throttle(rate));
    notes.push(`${rate} B/s`);
  }
  let faults: FaultInjectionPlugin | null = null;
  if (values['faults-seed'] !== undefined) {
    const seed = intOption(values['faults-seed'], 'faults-seed', 0);
    const probability = Number(values['faults-probability'] ?? '0.1');
    const stall = values['faults-stall-ms'];
    const plan = seededFaults(seed, {
      probability,
      kinds: faultKinds(values['faults-kinds']),
      stallMs: stall === undefined ? undefined : intOption(stall, 'faults-stall-ms', 0),
    });
    // Faults go last, nearest the socket, so their byte offsets count what leaves.
    faults = faultInjection({
      next(request) {
        const fault = plan.next(request);
        if (fault)
          console.log(
            `#${request.index} ${request.path} ${request.range ?? ''} → ${JSON.stringify(fault)}`,
          );
        return fault;
      },
    });
    plugins.push(faults);
    notes.push(`faults: seed ${seed}, probability ${probability}`);
  }

  const server = await createModelServer({
    root: values.root,
    port: intOption(values.port, 'port', 8787),
    host: values.host ?? '127.0.0.1',
    plugins,
  });
  console.log(
    `Serving ${values.root} at ${server.url}${notes.length ? ` (${notes.join('; ')})` : ''}`,
  );

  const stop = async () => {
    await faults?.restoreFiles();
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
