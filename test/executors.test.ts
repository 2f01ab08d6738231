// Suite runs as jobs: a tiny suite on 2 local worker processes and through a Redis queue with 2 `qkc worker`
// processes (one SIGKILLed mid-run) gives result files identical, timings aside, to the sequential run; a run
// failing three times is reported with its error while the sweep goes on; resubmitting does nothing new; Redis
// down is one line and a non-zero exit for the submitter and backoff for a worker.
import { strict as assert } from 'assert';
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Queue } from 'bullmq';
import { SUITES, planSuite, suiteWithOverrides, type RunResult, type RunSpec, type SuiteSettings } from '../src/experiments';
import {
  LocalWorkersExecutor, QUEUE_NAME, RedisQueueExecutor, SweepProgress, formatDuration, jobIdOf, startQueueWorker, type RunEvent, type RunOutcome,
} from '../src/experiments/executors';
import { runCli } from './helpers/run-cli';
import { freePort, haveRedisServer, startRedis, type TestRedis } from './helpers/redis-server';
import { tmpDir } from './train-fixtures';

const ROOT = path.join(__dirname, '..');
/** The tiny suite: a hybrid with quantum weights and a classical model, 2 seeds, 3 epochs on 240 digits. */
const SUITE_ARGS = ['--quick', '--models', 'hybrid-small,linear', '--seeds', '0,1', '--epochs', '3', '--train-size', '240',
  '--test-size', '60', '--no-figures'];
const RUN_NAMES = ['hybrid-small', 'linear'].flatMap((m) => [0, 1].map((s) => `quick-mnist-${m}-s${s}.json`)).sort();

const run = runCli;

/** A result file without what may differ between equal runs: timings and creation time. */
function comparable(file: string): unknown {
  const r = JSON.parse(fs.readFileSync(file, 'utf8')) as RunResult & Record<string, unknown>;
  const { timing: _t, environment, history, ...rest } = r;
  return {
    ...rest, environment: { ...environment, createdAt: null },
    history: history.map(({ epoch_time_s: _e, val_time_s: _v, ...h }) => h),
  };
}

function assertSameResults(dir: string, reference: string): void {
  const files = fs.readdirSync(dir).filter((f) => /-s\d\.json$/.test(f)).sort();
  assert.deepEqual(files, RUN_NAMES);
  for (const f of files) assert.deepEqual(comparable(path.join(dir, f)), comparable(path.join(reference, f)), `${f} differs from the sequential run`);
}

/** A `qkc worker` process with its output collected. */
interface WorkerProcess {
  child: ChildProcess;
  name: string;
  out: () => string;
  exited: Promise<void>;
}

function spawnWorker(url: string, name: string, runsDir: string): WorkerProcess {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'test', 'helpers', 'qkc-cli.ts'), 'worker',
    '--queue', url, '--name', name, '--runs-dir', runsDir, '--lock-seconds', '8', '--stalled-seconds', '2'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (b: Buffer) => { text += b.toString(); });
  child.stderr!.on('data', (b: Buffer) => { text += b.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, name, out: () => text, exited };
}

async function stopWorker(w: WorkerProcess): Promise<void> {
  if (w.child.exitCode === null && w.child.signalCode === null) {
    w.child.kill('SIGTERM');
    const timer = setTimeout(() => w.child.kill('SIGKILL'), 5000);
    await w.exited;
    clearTimeout(timer);
  }
}

/** The tiny suite's settings and a plan of it into `out` (for executors driven directly). */
function tinyPlan(out: string, runs: string, models: string[], seeds: number[]): RunSpec[] {
  const settings: SuiteSettings = suiteWithOverrides(SUITES.quick, { models, seeds: seeds.map(String), epochs: 3, trainSize: 240, testSize: 60 });
  return planSuite(settings, { outDir: out, runsDir: runs }).runs;
}

describe('executors: sweep progress', () => {
  it('counts runs by state, names each worker\'s run and epoch, and estimates the rest from the epochs done', () => {
    const root = tmpDir('qkc-sweep-');
    const specs = tinyPlan(root, root, ['linear'], [0, 1]); // 2 runs × 3 epochs
    const lines: string[] = [];
    let t = 0;
    const p = new SweepProgress(specs, (l) => lines.push(l), 0, () => t);
    const [a, b] = specs.map((s) => s.id);
    p.handle({ type: 'started', id: a, worker: 'h-1', attempt: 1 });
    p.handle({ type: 'started', id: b, worker: 'h-2', attempt: 1 });
    t = 10;
    p.handle({ type: 'epoch', id: a, worker: 'h-1', epoch: 1, epochs: 3 });
    p.handle({ type: 'epoch', id: b, worker: 'h-2', epoch: 1, epochs: 3 });
    // 2 of 6 epochs in 10 s: 4 left take 20 s.
    assert.equal(p.etaSeconds(), 20);
    assert.equal(p.status(), 'sweep: 0/2 done, 2 running, 0 failed; ETA 20s | h-1: linear s0 epoch 1/3; h-2: linear s1 epoch 1/3');
    p.handle({ type: 'retry', id: b, attempt: 2, error: 'boom' });
    p.handle({ type: 'failed', id: b, attempts: 3, error: 'boom' });
    assert.deepEqual(p.counts(), { done: 0, running: 1, failed: 1, waiting: 0, total: 2 });
    assert.match(lines.join('\n'), /mnist linear seed 1: FAILED after 3 attempt\(s\): boom/);
    assert.equal(formatDuration(3725), '1h 02m');
    assert.equal(formatDuration(185), '3m 05s');
    assert.equal(formatDuration(NaN), '?');
    fs.rmSync(root, { recursive: true, force: true });
  });
});

describe('executors: usage errors', () => {
  it('--workers 0, a URL that is not Redis, a worker without --queue: one line, exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['reproduce', '--quick', '--workers', '0'], /^qkc: error: --workers: expected a positive integer, got 0$/],
      [['reproduce', '--quick', '--queue', 'http://127.0.0.1:6379/0'], /^qkc: error: --queue: expected a redis:\/\/ or rediss:\/\/ URL, got 'http:\/\/127\.0\.0\.1:6379\/0'$/],
      [['reproduce', '--quick', '--queue', 'redis://127.0.0.1:6379/zero'], /^qkc: error: --queue: the database must be a number .*got '\/zero'/],
      [['worker'], /^qkc: error: 'qkc worker' needs --queue$/],
    ];
    for (const [argv, re] of cases) {
      const r = await run(argv);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.err}`);
      assert.match(r.err, re);
    }
  });
});

describe('executors: suite runs as jobs', function () {
  this.timeout(300000);
  const root = tmpDir('qkc-executors-');
  const sequential = path.join(root, 'sequential');

  before(async () => {
    const r = await run(['reproduce', ...SUITE_ARGS, '--workers', '1', '--progress', 'none', '--out', sequential, '--runs-dir', path.join(root, 'seq-runs')]);
    assert.equal(r.code, 0, r.err);
    assert.equal((r.out.match(/^\[\d\/4\] mnist .*test acc/gm) ?? []).length, 4, r.out);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('--workers 2: two local processes write the sequential run\'s results; a failing run is tried 3 times and reported', async () => {
    const out = path.join(root, 'local');
    const r = await run(['reproduce', ...SUITE_ARGS, '--workers', '2', '--out', out, '--runs-dir', path.join(root, 'local-runs')]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /4 run\(s\) to execute on 2 local worker processes/);
    const workers = new Set([...r.out.matchAll(/started on (\S+)/g)].map((m) => m[1]));
    assert.equal(workers.size, 2, `expected 2 worker processes, saw ${[...workers].join(', ')}`);
    assertSameResults(out, sequential);

    // A run whose model does not match its plan fails the same way each time; the other run still finishes.
    const specs = tinyPlan(path.join(root, 'local-bad'), path.join(root, 'local-bad-runs'), ['linear'], [0, 1]);
    specs[0] = { ...specs[0], architecture: '0123456789abcdef' };
    const events: RunEvent[] = [];
    const outcomes = await new LocalWorkersExecutor(1).run(specs, (e) => events.push(e));
    assert.equal(outcomes[1].status, 'done');
    const failed = outcomes[0] as Extract<RunOutcome, { status: 'failed' }>;
    assert.equal(failed.status, 'failed');
    assert.equal(failed.attempts, 3);
    assert.match(failed.error, /builds architecture [0-9a-f]+ here, the plan has 0123456789abcdef/);
    assert.equal(events.filter((e) => e.type === 'retry' && e.id === specs[0].id).length, 2);
  });

  describe('through a Redis queue', () => {
    let redis: TestRedis | null = null;
    const workers: WorkerProcess[] = [];
    before(async function () {
      if (!haveRedisServer()) {
        assert.fail("redis-server is not installed (Debian package redis-server; set-up installs it)");
      }
      redis = await startRedis();
    });
    after(async () => {
      await Promise.all(workers.map(stopWorker));
      await redis?.stop();
    });

    it('2 worker processes, one SIGKILLed mid-run: every run finishes once, results equal the sequential run', async () => {
      const url = redis!.url;
      const runsDir = path.join(root, 'queue-runs'); // shared by both workers: the retried run resumes
      workers.push(spawnWorker(url, 'w1', runsDir), spawnWorker(url, 'w2', runsDir));
      // Kill the first worker that reports epoch 1 of 3 of a hybrid run (epochs take a moment: it is mid-run).
      let killed: { worker: WorkerProcess; run: string } | null = null;
      for (const w of workers) {
        w.child.stdout!.on('data', () => {
          const m = /(quick-mnist-hybrid-small-s\d) epoch 1\/3/.exec(w.out());
          if (m && !killed) {
            killed = { worker: w, run: m[1] };
            w.child.kill('SIGKILL');
          }
        });
      }
      const out = path.join(root, 'queue');
      const args = ['reproduce', ...SUITE_ARGS, '--queue', url, '--out', out, '--runs-dir', path.join(root, 'submitter-runs')];
      const r = await run(args);
      assert.equal(r.code, 0, `${r.err}\n${r.out}\n${workers.map((w) => w.out()).join('\n')}`);
      assert.ok(killed, 'no worker was killed');
      const { worker: victim, run: victimRun } = killed as { worker: WorkerProcess; run: string };
      await victim.exited;
      assert.equal(victim.child.signalCode, 'SIGKILL');
      const survivor = workers.find((w) => w !== victim)!;
      assert.doesNotMatch(victim.out(), new RegExp(`${victimRun} finished`), 'the killed worker finished its run: the kill came too late');
      // The survivor took the stalled job over and resumed it from the checkpoint of epoch 1.
      assert.match(survivor.out(), new RegExp(`${victimRun} resumed from its checkpoint at epoch [12]`));
      // Every run finished exactly once, over both workers.
      const finished = workers.flatMap((w) => [...w.out().matchAll(/: (quick-\S+) finished/g)].map((m) => m[1])).sort();
      assert.deepEqual(finished, RUN_NAMES.map((f) => f.replace(/\.json$/, '')));
      assert.equal((r.out.match(/^\[\d\/4\] mnist .*test acc/gm) ?? []).length, 4, r.out);
      assertSameResults(out, sequential);
      const summary = JSON.parse(fs.readFileSync(path.join(out, 'quick-summary.json'), 'utf8')) as { rows: { model: string; seeds: number[] }[] };
      assert.deepEqual(summary.rows.map((row) => [row.model, row.seeds]), [['hybrid-small', [0, 1]], ['linear', [0, 1]]]);

      // Resubmitting the finished suite does nothing; a second submitter elsewhere (another results folder)
      // adds no job either and gets the results from Redis, without any worker training again.
      const again = await run(args);
      assert.equal(again.code, 0, again.err);
      assert.equal((again.out.match(/done before/g) ?? []).length, 4);
      const before = survivor.out().length;
      const other = path.join(root, 'queue-second-submitter');
      const second = await run([...args.slice(0, -4), '--out', other, '--runs-dir', path.join(root, 'other-runs')]);
      assert.equal(second.code, 0, second.err);
      assertSameResults(other, sequential);
      assert.doesNotMatch(survivor.out().slice(before), /started/);
      const queue = new Queue(QUEUE_NAME, { connection: { url } });
      try {
        assert.equal(await queue.count(), 0);
        assert.equal((await queue.getCompleted()).length, 4);
      } finally {
        await queue.close();
      }
    });

    it('a run failing 3 times is reported failed with its error, and the sweep goes on', async () => {
      const specs = tinyPlan(path.join(root, 'queue-bad'), path.join(root, 'queue-bad-runs'), ['linear'], [5, 6]);
      specs[0] = { ...specs[0], architecture: 'fedcba9876543210' };
      const events: RunEvent[] = [];
      const outcomes = await new RedisQueueExecutor(redis!.url, { pollSeconds: 0.3 }).run(specs, (e) => events.push(e));
      assert.equal(outcomes[1].status, 'done');
      assert.ok(fs.existsSync(specs[1].resultFile));
      const failed = outcomes[0] as Extract<RunOutcome, { status: 'failed' }>;
      assert.equal(failed.status, 'failed');
      assert.equal(failed.attempts, 3);
      assert.match(failed.error, /builds architecture [0-9a-f]+ here, the plan has fedcba9876543210/);
      assert.ok(!fs.existsSync(specs[0].resultFile));
      // Submitting again retries the failed run (3 more attempts) and takes the finished one from Redis.
      const resubmitted = Date.now();
      const retried = await new RedisQueueExecutor(redis!.url, { pollSeconds: 0.3 }).run(specs, () => undefined);
      assert.deepEqual(retried.map((o) => o.status), ['failed', 'done']);
      const queue = new Queue(QUEUE_NAME, { connection: { url: redis!.url } });
      try {
        const [bad, good] = await Promise.all(specs.map((spec) => queue.getJob(jobIdOf(spec))));
        assert.equal(bad!.attemptsMade, 3);
        assert.ok(bad!.finishedOn! >= resubmitted, 'the failed run was not tried again');
        assert.ok(good!.finishedOn! < resubmitted, 'the finished run was run again');
      } finally {
        await queue.close();
      }
      assert.notEqual(jobIdOf(specs[0]), jobIdOf({ ...specs[0], architecture: tinyPlan(root, root, ['linear'], [5])[0].architecture }));
    });
  });

  it('Redis down: the submitter says so in one line and exits non-zero; a worker retries with backoff, then connects', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}/0`;
    const t0 = performance.now();
    const r = await run(['reproduce', ...SUITE_ARGS, '--queue', url, '--out', path.join(root, 'down')]);
    assert.equal(r.code, 1);
    assert.equal(r.err.split('\n').length, 1, r.err);
    assert.match(r.err, new RegExp(`^qkc: error: cannot reach Redis at redis://127\\.0\\.0\\.1:${port}/0: connect ECONNREFUSED`));
    assert.ok(performance.now() - t0 < 10000, 'the submitter took more than 10 s to give up');
    assert.ok(!fs.existsSync(path.join(root, 'down')), 'nothing is planned or written when Redis is down');

    const lines: string[] = [];
    const worker = await startQueueWorker({ url, runsDir: path.join(root, 'down-runs'), name: 'wd', log: (l) => lines.push(l) });
    let redis: TestRedis | null = null;
    try {
      await new Promise((resolve) => setTimeout(resolve, 3600));
      const waits = lines.map((l) => /unreachable \(connect ECONNREFUSED[^)]*\); retrying in (\d+) s/.exec(l)?.[1]).filter((x) => x).map(Number);
      assert.deepEqual(waits.slice(0, 3), [1, 2, 4], lines.join('\n'));
      redis = await startRedis(port);
      const deadline = Date.now() + 15000;
      while (!lines.some((l) => /reachable again/.test(l)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      assert.ok(lines.some((l) => /wd: Redis at .* reachable again/.test(l)), lines.join('\n'));
    } finally {
      await worker.close(true);
      await redis?.stop();
    }
  });
});
