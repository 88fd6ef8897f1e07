// For working on the UI: rebuilds on every change and serves it on http://127.0.0.1:$UI_DEV_PORT (7100), passing
// every other request to a running suite's gateway ($QUARKFLOW_URL) with its token ($QUARKFLOW_TOKEN), so no
// gateway rebuild is needed. The gateway's own session routes are answered here as if signed in.
import { spawn } from 'node:child_process';
import { createServer, request } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';

const dir = 'target/dev-ui';
const port = Number(process.env.UI_DEV_PORT ?? 7100);
const upstream = new URL(process.env.QUARKFLOW_URL ?? 'http://127.0.0.1:5000');
const token = process.env.QUARKFLOW_TOKEN ?? '';
const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

spawn(process.execPath, ['build.mjs', dir, '--watch'], { stdio: 'inherit' });

createServer(async (req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  if (path === '/ui/session') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({ user: 'dev', permission: 'EDIT', authentication: true }));
  }
  if (path === '/' || path.startsWith('/ui/')) {
    const file = path === '/' ? 'index.html' : path.slice('/ui/'.length);
    try {
      const body = await readFile(join(dir, file));
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
      return res.end(body);
    } catch {
      res.writeHead(404);
      return res.end();
    }
  }
  const headers = { ...req.headers, host: upstream.host, authorization: `Bearer ${token}` };
  delete headers.origin;
  const forward = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers },
    answer => { res.writeHead(answer.statusCode, answer.headers); answer.pipe(res); });
  forward.on('error', e => { res.writeHead(502); res.end(String(e)); });
  req.pipe(forward);
}).listen(port, '127.0.0.1', () => console.log(`UI on http://127.0.0.1:${port}/ -> ${upstream}`));
