import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProgram, startProgram } from '../support/cli-process.js';
import { mailer } from '../support/mailer.js';
import { readDockerfile, shippedNodeOptions } from '../support/shipped-command.js';

/**
 * What the Docker image runs, tested without Docker: the compiled `dist/`
 * started with plain node (parse workers load compiled JavaScript, the page
 * is found next to dist/), the image's HEALTHCHECK command, and the client
 * through its published entry `ephemail/client`.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
const dockerfile = readDockerfile();
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('EPHEMAIL_')));
const BANNER = /SMTP {2}127\.0\.0\.1:(\d+)\n {2}HTTP {2}http:\/\/127\.0\.0\.1:(\d+)/;
let server: ChildProcess | undefined;
let ports: { smtp: number; http: number };
// npm start's process group: whatever npm started, even a server that outlived npm.
let npmGroup: number | undefined;

function healthcheckCommand(): string[] {
  const line = /HEALTHCHECK[^\n]*\\\n\s*CMD (\[.*\])/.exec(dockerfile)?.[1];
  if (line === undefined) throw new Error('the Dockerfile has no HEALTHCHECK CMD in exec form');
  return JSON.parse(line) as string[];
}

async function healthcheck(httpPort: number): Promise<number> {
  const [command = 'node', ...args] = healthcheckCommand();
  const env = { ...process.env, EPHEMAIL_HTTP_PORT: String(httpPort) };
  return run(command === 'node' ? process.execPath : command, args, { env, timeout: 10_000 }).then(() => 0, (error: { code?: number }) => error.code ?? 1);
}

beforeAll(async () => {
  // As the package is built: `npm run build` also makes dist/main.js executable, which npx needs.
  await run('npm', ['run', '--silent', 'build'], { cwd: ROOT, timeout: 170_000 });
  server = spawn(process.execPath, [...shippedNodeOptions(), 'dist/main.js', '--smtp-port', '0', '--http-port', '0', '--log-level', 'warn', '--parse-workers', '1'], {
    cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  ports = await new Promise((resolve, reject) => {
    server?.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const match = BANNER.exec(output);
      if (match) resolve({ smtp: Number(match[1]), http: Number(match[2]) });
    });
    server?.once('exit', (code) => reject(new Error(`dist/main.js exited with ${code}:\n${output}`)));
  });
}, 180_000);

afterAll(() => {
  server?.kill('SIGKILL');
  if (npmGroup !== undefined) {
    try {
      process.kill(-npmGroup, 'SIGKILL');
    } catch {
      // Nothing of it is left.
    }
  }
});

/** Whether any process of the group `id` is still running. */
function groupAlive(id: number): boolean {
  try {
    process.kill(-id, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves once `condition` holds, checking every 50 ms; fails after `ms`. */
async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => { socket.destroy(); resolve(false); });
    socket.once('error', () => resolve(true));
  });
}

describe('the built server (what the Docker image runs)', () => {
  it('parses mail in compiled worker threads and serves it, the page and the reference', async () => {
    const base = `http://127.0.0.1:${ports.http}`;
    const to = 'dist-check@ephemail.test';
    await mailer(ports.smtp).sendMail({
      from: 'Shop <shop@example.com>', to, subject: 'Your code',
      text: 'Your verification code is 481516.', html: '<p>Your verification code is <b>481516</b>.<script>alert(1)</script></p>',
    });
    const response = await fetch(`${base}/api/inboxes/${to}/wait?timeout=30`);
    const message = await response.json() as { codes: string[]; htmlUrl: string };
    expect(response.status).toBe(200);
    expect(message.codes).toEqual(['481516']);
    const html = await (await fetch(`${base}${message.htmlUrl}`)).text();
    expect(html).toContain('481516');
    expect(html).not.toContain('<script');

    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('app.js');
    expect((await fetch(`${base}/api/docs`)).status).toBe(200);
  }, 60_000);

  it('passes the image HEALTHCHECK while up, and fails it when nothing answers', async () => {
    expect(await healthcheck(ports.http)).toBe(0);
    expect(await healthcheck(1)).not.toBe(0);
  }, 30_000);

  it('serves the typed client through its published entry', async () => {
    // Resolved at run time through package.json "exports" to dist/, which beforeAll built; a literal
    // specifier would make the type-check (which runs before any build) look for dist/ too.
    const entry: string = 'ephemail/client';
    const { ephemail } = await import(entry) as typeof import('../../src/client/index.js');
    const inbox = await ephemail(`http://127.0.0.1:${ports.http}`).createInbox();
    await mailer(ports.smtp).sendMail({ from: 'app@example.com', to: inbox.address, subject: 'Welcome aboard', text: 'Confirm: https://app.example/verify?token=abc' });
    const message = await inbox.waitForMessage({ subject: /Welcome/, timeout: 30_000 });
    expect(message.links.find((link) => link.action)?.url).toBe('https://app.example/verify?token=abc');
  }, 60_000);
});

describe('the built command line (the package\'s bin)', () => {
  it('is dist/main.js, a node script, and npm pack ships it with the modules of the command line and the client', async () => {
    const { bin } = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { bin: Record<string, string> };
    expect(bin).toEqual({ ephemail: 'dist/main.js' });
    expect(readFileSync(`${ROOT}dist/main.js`, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, env: { ...env, npm_config_update_notifier: 'false' } });
    const packed = new Set((JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>)[0]?.files.map((file) => file.path));
    const modules = ['cli', 'client'].flatMap((folder) => readdirSync(`${ROOT}dist/${folder}`).filter((name) => name.endsWith('.js')).map((name) => `dist/${folder}/${name}`));
    for (const file of ['package.json', 'dist/main.js', ...modules]) expect(packed, file).toContain(file);
  }, 60_000);

  it('creates an inbox and waits for its code with plain node', async () => {
    const url = `http://127.0.0.1:${ports.http}`;
    const created = await runProgram(['inbox', '--url', url], { built: true });
    expect(created).toMatchObject({ code: 0, stdout: expect.stringMatching(/^[a-z0-9-]{20}@ephemail\.test\n$/) });
    const address = created.stdout.trim();
    const waiting = startProgram(['wait', address, '--code', '--timeout', '50s'], { built: true, env: { EPHEMAIL_URL: url } });
    await mailer(ports.smtp).sendMail({ from: 'app@example.com', to: address, subject: 'Your code', text: 'Your verification code is 660321.' });
    expect(await waiting.done).toEqual({ code: 0, stdout: '660321\n', stderr: '' });
  }, 60_000);

  it('runs as npx ephemail from the repository root, offline', async () => {
    const { stdout } = await run('npx', ['--no-install', 'ephemail', '--version'], {
      cwd: ROOT, env: { ...env, npm_config_offline: 'true', npm_config_update_notifier: 'false' }, timeout: 30_000,
    });
    const { version } = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string };
    expect(stdout).toBe(`${version}\n`);
  }, 60_000);
});

describe('the Dockerfile', () => {
  it('builds in two stages with npm ci and runs as a non-root user', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/RUN npm ci/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/EPHEMAIL_HOST=0\.0\.0\.0/);
    expect(shippedNodeOptions()).toEqual(['--max-semi-space-size=2']);
  });

  it('starts the server as npm start does', () => {
    const { scripts } = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: Record<string, string> };
    // exec: npm passes its SIGTERM to the shell running the script, which would die and leave node running.
    expect(scripts.start).toBe(['exec', 'node', ...shippedNodeOptions(), 'dist/main.js'].join(' '));
  });

  it('copies only files that exist', () => {
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((match) => (match[1] ?? '').split(' '));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(existsSync(`${ROOT}${source}`), source).toBe(true);
  });
});

describe('npm start', () => {
  it('starts without rebuilding an up-to-date dist/, and stops the server when npm gets SIGTERM', async () => {
    const built = statSync(`${ROOT}dist/main.js`).mtimeMs;
    const npm = spawn('npm', ['start', '--', '--smtp-port', '0', '--http-port', '0', '--log-level', 'warn', '--parse-workers', '1'], {
      cwd: ROOT, env: { ...env, npm_config_update_notifier: 'false' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
    });
    npmGroup = npm.pid;
    let output = '';
    const started = await new Promise<{ smtp: number; http: number }>((resolve, reject) => {
      const collect = (chunk: string) => {
        output += chunk;
        const match = BANNER.exec(output);
        if (match) resolve({ smtp: Number(match[1]), http: Number(match[2]) });
      };
      npm.stdout.setEncoding('utf8').on('data', collect);
      npm.stderr.setEncoding('utf8').on('data', collect);
      npm.once('exit', () => reject(new Error(`npm start exited:\n${output}`)));
    });
    // beforeAll built it, so the build before the start had nothing to write.
    expect(statSync(`${ROOT}dist/main.js`).mtimeMs).toBe(built);

    npm.kill('SIGTERM');
    await until(() => npm.exitCode !== null || npm.signalCode !== null, 15_000, `npm to exit:\n${output}`);
    await until(() => !groupAlive(npm.pid!), 10_000, `the processes npm started to exit:\n${output}`);
    expect(await refused(started.smtp)).toBe(true);
    expect(await refused(started.http)).toBe(true);
  }, 120_000);
});
