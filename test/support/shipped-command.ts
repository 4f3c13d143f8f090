import { readFileSync } from 'node:fs';

const ROOT = new URL('../../', import.meta.url);

/** The Dockerfile's text (of this checkout, or of another at `checkout`), for tests that check what the image does. */
export function readDockerfile(checkout: string | URL = ROOT): string {
  return readFileSync(new URL('Dockerfile', toDirectoryUrl(checkout)), 'utf8');
}

function toDirectoryUrl(checkout: string | URL): URL {
  return checkout instanceof URL ? checkout : new URL(`file://${checkout.endsWith('/') ? checkout : `${checkout}/`}`);
}

/**
 * The Node.js options the server ships with, read from the Dockerfile's CMD
 * (`node <options> dist/main.js`), so tests and the benchmark start the
 * server the way the image does.
 */
export function shippedNodeOptions(checkout: string | URL = ROOT): string[] {
  const line = /^CMD (\[.*\])$/m.exec(readDockerfile(checkout))?.[1];
  if (line === undefined) throw new Error('the Dockerfile has no CMD in exec form');
  const [command, ...args] = JSON.parse(line) as string[];
  if (command !== 'node' || args.at(-1) !== 'dist/main.js') throw new Error(`the Dockerfile's CMD is not "node ... dist/main.js": ${line}`);
  return args.slice(0, -1);
}
