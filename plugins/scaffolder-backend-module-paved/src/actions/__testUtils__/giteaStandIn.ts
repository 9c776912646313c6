import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** One request the stand-in received. */
export interface RecordedRequest {
  method: string;
  /** Path and query. */
  url: string;
  authorization?: string;
  /** JSON body of API calls. */
  body?: unknown;
}

/**
 * SIMULATED Gitea for tests: the few API routes publish:gitea calls
 * (organisation lookup, repository creation, the branch page it polls) and
 * git's smart HTTP protocol through `git http-backend`, over real HTTP on
 * loopback. Repositories are bare repositories under `root`. Not Gitea:
 * no users, permissions or web UI beyond those routes.
 */
export async function startGiteaStandIn(options: {
  root: string;
  username: string;
  password: string;
  organisations: string[];
}) {
  const requests: RecordedRequest[] = [];
  const expected = Buffer.from(
    `${options.username}:${options.password}`,
  ).toString('base64');
  const authorized = (header?: string) =>
    !!header &&
    /^basic\s+/i.test(header) &&
    header.split(/\s+/)[1] === expected;
  const repoDir = (owner: string, repo: string) =>
    join(options.root, owner, `${repo}.git`);

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      url: `${url.pathname}${url.search}`,
      authorization: req.headers.authorization,
    };
    requests.push(record);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };

    try {
      if (url.pathname.startsWith('/api/v1/')) {
        if (!authorized(req.headers.authorization)) {
          json(401, { message: 'unauthorized' });
          return;
        }
        const org = /^\/api\/v1\/orgs\/([^/]+)$/.exec(url.pathname);
        if (org && req.method === 'GET') {
          if (options.organisations.includes(org[1])) {
            json(200, { username: org[1] });
          } else json(404, { message: 'not found' });
          return;
        }
        const create = /^\/api\/v1\/orgs\/([^/]+)\/repos$/.exec(url.pathname);
        if (create && req.method === 'POST') {
          const body = JSON.parse((await readBody(req)).toString('utf8'));
          record.body = body;
          const dir = repoDir(create[1], body.name);
          if (existsSync(dir)) {
            json(409, { message: 'repository already exists' });
            return;
          }
          mkdirSync(dir, { recursive: true });
          execFileSync('git', ['init', '--quiet', '--bare', dir]);
          execFileSync('git', ['config', 'http.receivepack', 'true'], {
            cwd: dir,
          });
          json(201, { name: body.name, private: body.private });
          return;
        }
        json(404, { message: 'no such route in the stand-in' });
        return;
      }

      const gitRoute = /^\/([^/]+)\/([^/]+\.git)(\/.*)$/.exec(url.pathname);
      if (gitRoute) {
        if (!authorized(req.headers.authorization)) {
          res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="Gitea"' });
          res.end();
          return;
        }
        await gitHttpBackend(options.root, req, res, url);
        return;
      }

      const branchPage = /^\/([^/]+)\/([^/]+)\/src\/branch\/(.+)$/.exec(
        url.pathname,
      );
      if (branchPage && req.method === 'GET') {
        const dir = repoDir(branchPage[1], branchPage[2]);
        const exists =
          existsSync(dir) &&
          hasBranch(dir, decodeURIComponent(branchPage[3]).replace(/\/$/, ''));
        res.writeHead(exists ? 200 : 404);
        res.end();
        return;
      }
      res.writeHead(404);
      res.end();
    } catch (error) {
      res.writeHead(500);
      res.end(String(error));
    }
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    repoDir,
    close: () => new Promise<void>(r => server.close(() => r())),
  };
}

function hasBranch(gitDir: string, branch: string): boolean {
  try {
    execFileSync(
      'git',
      [
        '--git-dir',
        gitDir,
        'rev-parse',
        '--verify',
        '--quiet',
        `refs/heads/${branch}`,
      ],
      { stdio: 'ignore' },
    );
    return true;
  } catch {
    return false;
  }
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Runs git's CGI smart HTTP server for one request. */
async function gitHttpBackend(
  root: string,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
) {
  const body = await readBody(req);
  const child = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: url.pathname,
      REQUEST_METHOD: req.method,
      QUERY_STRING: url.search.replace(/^\?/, ''),
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      CONTENT_LENGTH: String(body.length),
      REMOTE_USER: 'stand-in',
      REMOTE_ADDR: '127.0.0.1',
    },
  });
  const out: Buffer[] = [];
  child.stdout.on('data', chunk => out.push(chunk));
  child.stdin.end(body);
  await new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', () => resolve());
  });
  const output = Buffer.concat(out);
  const split = output.indexOf('\r\n\r\n');
  const head = output.subarray(0, split).toString('utf8');
  let status = 200;
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = parseInt(value, 10);
    else headers[name] = value;
  }
  res.writeHead(status, headers);
  res.end(output.subarray(split + 4));
}
