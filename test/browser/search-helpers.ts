/**
 * Helpers for the search browser test (and `npm run bench:search`): a static file server on loopback and a headless
 * Chromium driven by playwright-core.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian installs Chromium; CI installs the same package. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
};

export interface StaticServer {
  /** `http://127.0.0.1:<port>/`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the files under `root` on 127.0.0.1 (a free port) as a plain static host does: GET only, `/` and
 * `…/` map to `index.html`, no compression, 404 for anything else. Paths outside `root` are refused.
 */
export async function serveDirectory(root: string): Promise<StaticServer> {
  const base = resolve(root);
  const server = createServer((request, response) => {
    void (async () => {
      const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
      const file = resolve(base, `.${pathname.endsWith('/') ? `${pathname}index.html` : pathname}`);
      if (request.method !== 'GET' || (file !== base && !file.startsWith(base + sep))) {
        response.writeHead(404).end();
        return;
      }
      try {
        if (!(await stat(file)).isFile()) throw new Error('not a file');
        const body = await readFile(file);
        const type = extname(file) === '' || /\.pf_/.test(file) ? 'application/octet-stream' : (TYPES[extname(file)] ?? 'application/octet-stream');
        response.writeHead(200, { 'content-type': type, 'content-length': body.length }).end(body);
      } catch {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      }
    })();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((done, fail) => server.close((error) => (error ? fail(error) : done()))),
  };
}

/**
 * Headless Chromium at {@link CHROMIUM_PATH}.
 * @throws Error naming the path and the package to install when Chromium is not there.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`No Chromium at ${CHROMIUM_PATH}: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH; the search browser test needs a real browser.`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox'] });
}
