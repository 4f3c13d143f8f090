// Test only: `ephemail mcp --url URL` as a process, for the SDK's StdioClientTransport to spawn.
import { runStdioBridge } from '../../src/mcp/stdio-bridge.js';

const [url] = process.argv.slice(2);
if (url === undefined) throw new Error('usage: stdio-bridge-entry.ts URL');
await runStdioBridge({ url });
