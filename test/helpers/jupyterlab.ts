/**
 * A throw-away JupyterLab server for end-to-end tests, started as `npm run lab` starts it (scripts/lab.ts:
 * the project's Python, the tslab kernel on JUPYTER_PATH) on a free loopback port with a random token, its own config/runtime/settings/workspace folders (nothing of
 * the user's Jupyter set-up is read or written), autosave off (running notebooks never rewrites the files
 * in notebooks/), every cell kept in the DOM (windowing off) so the checks and screenshots see all of it.
 */
import { ChildProcess, spawn } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { PROJECT_ROOT } from '../../scripts/jupyter';

/** A running JupyterLab server. */
export interface LabServer {
  /** http://127.0.0.1:<port> */
  base: string;
  token: string;
  /** GET or POST a Jupyter REST endpoint (e.g. '/api/kernels') with the token; returns parsed JSON. */
  api<T = unknown>(endpoint: string, method?: 'GET' | 'POST' | 'DELETE'): Promise<T>;
  /** The server's log so far (stdout + stderr), for failure messages. */
  log(): string;
  /** Stops the server (SIGTERM to its process group, SIGKILL after 15 s) and removes its folders. */
  stop(): Promise<void>;
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value));
}

/** Waits up to `ms` for every process of the group `pgid` to end; whether they did. */
async function groupEnded(pgid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return true; // ESRCH: nothing left in the group
    }
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const running = (child: ChildProcess): boolean => child.exitCode == null && child.signalCode == null;

/**
 * Starts JupyterLab through scripts/lab.ts (what `npm run lab` runs) and waits until its REST API answers.
 * `env` reaches the server and so its kernels (e.g. QKC_QUICK=1).
 */
export async function startLab(env: NodeJS.ProcessEnv = {}, readyTimeoutMs = 120_000): Promise<LabServer> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'qkc-lab-'));
  const settings = path.join(home, 'settings');
  writeJson(path.join(settings, '@jupyterlab', 'docmanager-extension', 'plugin.jupyterlab-settings'), { autosave: false });
  writeJson(path.join(settings, '@jupyterlab', 'notebook-extension', 'tracker.jupyterlab-settings'), { windowingMode: 'none' });
  // No "get notified about Jupyter news?" toast over the screenshots (and no request for news).
  writeJson(path.join(settings, '@jupyterlab', 'apputils-extension', 'notification.jupyterlab-settings'), { fetchNews: 'false' });
  const port = await freePort();
  const token = randomBytes(24).toString('hex');
  const base = `http://127.0.0.1:${port}`;
  const args = [
    '--no-browser', '--ServerApp.ip=127.0.0.1', `--ServerApp.port=${port}`, '--ServerApp.port_retries=0',
    `--IdentityProvider.token=${token}`, `--LabApp.user_settings_dir=${settings}`,
    `--LabApp.workspaces_dir=${path.join(home, 'workspaces')}`,
    // Test notebooks live in hidden folders under notebooks/ (git-ignored, and out of listNotebooks).
    '--ContentsManager.allow_hidden=True',
    // Checkpoints (made when a notebook is opened) go to the server's temp folder, not notebooks/.ipynb_checkpoints.
    `--FileCheckpoints.checkpoint_dir=${path.join(home, 'checkpoints')}`,
  ];
  // Its own process group (detached), so stop() reaches the server that scripts/lab.ts starts.
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join('scripts', 'lab.ts'), ...args], {
    cwd: PROJECT_ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env, JUPYTER_CONFIG_DIR: path.join(home, 'config'), JUPYTER_RUNTIME_DIR: path.join(home, 'runtime') },
  });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => { log += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { log += d.toString(); });

  const api = async <T>(endpoint: string, method: 'GET' | 'POST' | 'DELETE' = 'GET'): Promise<T> => {
    const r = await fetch(`${base}${endpoint}`, { method, headers: { Authorization: `token ${token}` } });
    if (!r.ok) throw new Error(`JupyterLab ${method} ${endpoint}: HTTP ${r.status} ${await r.text()}`);
    const text = await r.text();
    return (text === '' ? null : JSON.parse(text)) as T;
  };
  const stop = async (): Promise<void> => {
    // The server shuts its kernels (in sessions of their own) down on SIGTERM.
    try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* already gone */ }
    if (!(await groupEnded(child.pid!, 15_000))) {
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
      await groupEnded(child.pid!, 5_000);
    }
    fs.rmSync(home, { recursive: true, force: true });
  };

  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (!running(child)) {
      await stop();
      throw new Error(`JupyterLab exited (${child.exitCode ?? child.signalCode}) before answering on ${base}:\n${log.slice(-3000)}`);
    }
    try {
      await api('/api/status');
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`JupyterLab did not answer on ${base} within ${readyTimeoutMs / 1000} s:\n${log.slice(-3000)}`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  return { base, token, api, log: () => log, stop };
}
