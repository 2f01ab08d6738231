/**
 * A bench peer as a child process (peer_server.py): one JSON command per line in, one JSON answer per line
 * out, answered in order. The bench venv (`npm run bench:setup`) is `.venv-bench/` at the repo root, or
 * QKC_BENCH_PYTHON names the interpreter.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as readline from 'readline';

/** The bench venv's python, or null when it is not set up. */
export function benchPython(): string | null {
  const fromEnv = process.env.QKC_BENCH_PYTHON;
  if (fromEnv) return fromEnv;
  const venv = path.join(__dirname, '..', '..', '.venv-bench', 'bin', 'python');
  return fs.existsSync(venv) ? venv : null;
}

/** One peer's long-lived server process. */
export class PeerProcess {
  private child!: ChildProcessWithoutNullStreams;
  private waiting: Array<(answer: Record<string, unknown>) => void> = [];
  private stderr = '';

  /**
   * Starts `peer`; a call unanswered after `timeoutMs` restarts the process and answers with an error. `env`
   * adds environment variables (e.g. QKC_BENCH_TORCH_THREADS) to the process's own.
   */
  constructor(private readonly python: string, private readonly peer: string, private readonly timeoutMs = 180_000,
    private readonly env: Record<string, string> = {}) {
    this.start();
  }

  private start(): void {
    this.waiting = [];
    this.child = spawn(this.python, [path.join(__dirname, 'peer_server.py'), this.peer], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...this.env } });
    readline.createInterface({ input: this.child.stdout }).on('line', (line) => this.waiting.shift()?.(JSON.parse(line)));
    this.child.stderr.on('data', (d) => { this.stderr = (this.stderr + d).slice(-2000); });
    const child = this.child, waiting = this.waiting;
    child.on('exit', (code) => {
      for (const w of waiting.splice(0)) w({ error: `peer process exited (${code}): ${this.stderr.trim().split('\n').pop()}` });
    });
  }

  /** Sends one command and resolves with its answer (an `error` field when the peer failed or passed `timeoutMs`). */
  call(command: Record<string, unknown>, timeoutMs = this.timeoutMs): Promise<Record<string, unknown>> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) this.start(); // it died (e.g. out of memory) on an earlier case
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const stuck = this.child;
        this.start(); // the next command goes to a fresh process; the old one's pending answers are errors
        stuck.kill('SIGKILL');
        resolve({ error: `timeout: no answer in ${timeoutMs / 1000} s` });
      }, timeoutMs);
      this.waiting.push((answer) => { clearTimeout(timer); resolve(answer); });
      this.child.stdin.write(JSON.stringify(command) + '\n');
    });
  }

  /** Ends the process. */
  close(): void {
    this.child.stdin.end();
    this.child.kill();
  }
}
