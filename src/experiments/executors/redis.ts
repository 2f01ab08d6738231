/**
 * Redis for the run queue: the URL a user gives (`redis://host:port/db`), a reachability check that fails
 * fast with one line, and the connections of a submitter (gives up after a few tries) and of a worker
 * (retries for ever with exponential backoff, saying so).
 */
import IORedis, { type RedisOptions } from 'ioredis';

/** The BullMQ queue every submitter and worker of qkc runs uses (separate suites by Redis database: /0, /1, ...). */
export const QUEUE_NAME = 'qkc-runs';

/** Redis is not reachable: one line naming the URL and the reason. */
export class RedisUnavailableError extends Error {
  constructor(readonly url: string, reason: string) {
    super(`cannot reach Redis at ${url}: ${reason}`);
    this.name = 'RedisUnavailableError';
  }
}

/** The URL without a password (for log lines). */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

/** Checks a queue URL: redis:// or rediss://, a host, an optional port and database number; throws naming `what`. */
export function checkRedisUrl(url: string, what = '--queue'): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`${what}: expected a Redis URL like redis://127.0.0.1:6379/0, got '${url}'`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new Error(`${what}: expected a redis:// or rediss:// URL, got '${url}'`);
  if (!u.hostname) throw new Error(`${what}: the URL names no host: '${url}'`);
  const db = u.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw new Error(`${what}: the database must be a number (redis://host:port/0), got '/${db}' in '${url}'`);
  return url;
}

/** The reason of a connection error, in a few words (ECONNREFUSED 127.0.0.1:6379, ...). */
function reasonOf(e: unknown): string {
  const err = e as { code?: string; message?: string };
  return String(err?.message ?? e).split('\n')[0];
}

/** Resolves when Redis at `url` answers PING within `timeoutMs`; else rejects with a RedisUnavailableError. */
export async function checkRedis(url: string, timeoutMs = 3000): Promise<void> {
  let firstError: unknown = null;
  const conn = new IORedis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  conn.on('error', (e) => { firstError ??= e; });
  try {
    await conn.connect();
    await conn.ping();
  } catch (e) {
    throw new RedisUnavailableError(displayUrl(url), reasonOf(firstError ?? e));
  } finally {
    conn.disconnect();
  }
}

/** Connection of a submitter: a lost Redis is retried a few times (about 10 s), then commands fail and the submitter stops. */
export function submitterConnection(url: string): IORedis {
  const conn = new IORedis(url, { maxRetriesPerRequest: 3, retryStrategy: (times) => (times > 6 ? null : Math.min(250 * 2 ** times, 4000)) });
  conn.on('error', () => undefined); // surfaced by the failing command
  return conn;
}

/** Exponential backoff for a worker: 1 s, 2 s, 4 s, ... capped at `maxMs`. */
export function backoffMs(times: number, maxMs = 30000): number {
  return Math.min(1000 * 2 ** Math.max(0, times - 1), maxMs);
}

/** Connection errors (the backoff line already says Redis is unreachable). */
export function isConnectionError(e: unknown): boolean {
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|EAI_AGAIN|Connection is closed/i.test(reasonOf(e));
}

/**
 * Connection of a worker: retries for ever with backoff, logging each wait (BullMQ needs maxRetriesPerRequest
 * null). BullMQ duplicates the connection (blocking reads), so the same line from both copies is logged once.
 */
export function workerConnection(url: string, log: (line: string) => void): IORedis {
  let lastError = '';
  let last = { line: '', at: -Infinity };
  const once = (line: string): void => {
    const now = Date.now();
    if (line === last.line && now - last.at < 1000) return;
    last = { line, at: now };
    log(line);
  };
  const options: RedisOptions = {
    maxRetriesPerRequest: null,
    retryStrategy: (times) => {
      const ms = backoffMs(times);
      once(`Redis at ${displayUrl(url)} unreachable (${lastError || 'no answer'}); retrying in ${ms / 1000} s`);
      return ms;
    },
  };
  const conn = new IORedis(url, options);
  conn.on('error', (e) => { lastError = reasonOf(e); });
  conn.on('ready', () => {
    if (lastError) once(`Redis at ${displayUrl(url)} reachable again`);
    lastError = '';
  });
  return conn;
}
