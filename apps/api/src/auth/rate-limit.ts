import type { Redis } from 'ioredis';

/**
 * Sliding-window counter, one atomic script per call: the count of the current window plus the
 * previous window's count weighted by how much of it still overlaps the last `windowMs`. So a key
 * limited to N a minute cannot do 2N across a window boundary, as a fixed window allows.
 *
 * KEYS[1] current window counter, KEYS[2] previous window counter.
 * ARGV[1] limit, ARGV[2] window ms, ARGV[3] ms elapsed in the current window, ARGV[4] requests to count.
 * Returns { requests allowed (0..ARGV[4]), remaining after them, ms until one more is allowed (0 when all were) }.
 */
const SCRIPT = `
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local elapsed = tonumber(ARGV[3])
local asked = tonumber(ARGV[4])
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
local prev = tonumber(redis.call('GET', KEYS[2]) or '0')
local weight = (window - elapsed) / window
local used = math.floor(prev * weight) + cur
local allowed = limit - used
if allowed > asked then allowed = asked end
if allowed < 0 then allowed = 0 end
if allowed > 0 then
  cur = redis.call('INCRBY', KEYS[1], allowed)
  if cur == allowed then redis.call('PEXPIRE', KEYS[1], window * 2 + 1000) end
end
if allowed == asked then return {allowed, limit - used - allowed, 0} end
local wait
if cur + 1 <= limit and prev > 0 then
  -- the previous window's share must fall to limit - 1 - cur
  wait = math.ceil((1 - (limit - 1 - cur) / prev) * window - elapsed)
else
  -- only the next window can help: there the current count becomes the previous one
  local need = 0
  if cur > 0 then need = 1 - (limit - 1) / cur end
  if need < 0 then need = 0 end
  wait = math.ceil(window - elapsed + need * window)
end
if wait < 1 then wait = 1 end
return {allowed, 0, wait}
`;

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window's count resets (RateLimit-Reset). */
  resetSeconds: number;
  /** Seconds to wait before retrying (Retry-After); 0 when allowed. */
  retryAfterSeconds: number;
  windowSeconds: number;
}

type SlidingWindowRedis = Redis & {
  mediaaiSlidingWindow(k1: string, k2: string, ...args: number[]): Promise<[number, number, number]>;
};

interface Pending {
  limit: number;
  now: number;
  waiters: { resolve(d: RateLimitDecision): void; reject(e: unknown): void }[];
}

/**
 * Requests for the same subject that arrive in the same turn of the event loop are counted together:
 * one script call (one Redis round trip) per subject per turn, however many requests wait on it. The
 * count stays exact, since every request is counted in Redis before it is answered.
 */
export class RateLimiter {
  private pending = new Map<string, Pending>();
  private scheduled = false;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly windowMs = 60_000,
  ) {
    redis.defineCommand('mediaaiSlidingWindow', { numberOfKeys: 2, lua: SCRIPT });
  }

  /** Counts one request for `subject` ("key:<id>" or "ip:<address>") against `limit` per window. */
  hit(subject: string, limit: number, now = Date.now()): Promise<RateLimitDecision> {
    return new Promise((resolve, reject) => {
      // A different clock reading (tests pass one) or limit starts its own batch.
      const id = `${subject}\u0000${limit}\u0000${now - (now % 1000)}`;
      let p = this.pending.get(id);
      if (!p) this.pending.set(id, (p = { limit, now, waiters: [] }));
      p.waiters.push({ resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush() {
    const batches = this.pending;
    this.pending = new Map();
    this.scheduled = false;
    for (const [id, p] of batches) void this.run(id.slice(0, id.indexOf('\u0000')), p);
  }

  private async run(subject: string, p: Pending) {
    const window = Math.floor(p.now / this.windowMs);
    const elapsed = p.now - window * this.windowMs;
    const base = `${this.prefix}:rl:${subject}`;
    let answer: [number, number, number];
    try {
      answer = await (this.redis as SlidingWindowRedis).mediaaiSlidingWindow(
        `${base}:${window}`,
        `${base}:${window - 1}`,
        p.limit,
        this.windowMs,
        elapsed,
        p.waiters.length,
      );
    } catch (e) {
      for (const w of p.waiters) w.reject(e);
      return;
    }
    const [allowed, remaining, waitMs] = answer;
    const resetSeconds = Math.ceil((this.windowMs - elapsed) / 1000);
    p.waiters.forEach((w, i) => {
      const ok = i < allowed;
      w.resolve({
        allowed: ok,
        limit: p.limit,
        remaining: ok ? Math.max(0, remaining + (allowed - 1 - i)) : 0,
        resetSeconds,
        retryAfterSeconds: ok ? 0 : Math.max(1, Math.ceil(waitMs / 1000)),
        windowSeconds: this.windowMs / 1000,
      });
    });
  }
}

/** The IETF draft's header fields (RateLimit-Limit/-Remaining/-Reset, RateLimit-Policy) and Retry-After on refusal. */
export function rateLimitHeaders(d: RateLimitDecision): Record<string, string> {
  const h: Record<string, string> = {
    'RateLimit-Limit': String(d.limit),
    'RateLimit-Remaining': String(d.remaining),
    'RateLimit-Reset': String(d.resetSeconds),
    'RateLimit-Policy': `${d.limit};w=${d.windowSeconds}`,
  };
  if (!d.allowed) h['Retry-After'] = String(Math.max(1, d.retryAfterSeconds));
  return h;
}
