import type { Redis } from 'ioredis';

/**
 * Sliding-window counter, one atomic script per request: the count of the current window plus the
 * previous window's count weighted by how much of it still overlaps the last `windowMs`. So a key
 * limited to N a minute cannot do 2N across a window boundary, as a fixed window allows.
 *
 * KEYS[1] current window counter, KEYS[2] previous window counter.
 * ARGV[1] limit, ARGV[2] window ms, ARGV[3] ms elapsed in the current window.
 * Returns { allowed 0|1, remaining, ms until a request is allowed again (0 when allowed) }.
 */
const SCRIPT = `
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local elapsed = tonumber(ARGV[3])
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
local prev = tonumber(redis.call('GET', KEYS[2]) or '0')
local weight = (window - elapsed) / window
local used = math.floor(prev * weight) + cur
if used + 1 > limit then
  local wait
  if cur + 1 <= limit and prev > 0 then
    -- the previous window's share must fall to limit - 1 - cur
    local need = 1 - (limit - 1 - cur) / prev
    wait = math.ceil(need * window - elapsed)
  else
    -- only the next window can help: there the current count becomes the previous one
    local need = 0
    if cur > 0 then need = 1 - (limit - 1) / cur end
    if need < 0 then need = 0 end
    wait = math.ceil(window - elapsed + need * window)
  end
  if wait < 1 then wait = 1 end
  return {0, 0, wait}
end
cur = redis.call('INCR', KEYS[1])
if cur == 1 then redis.call('PEXPIRE', KEYS[1], window * 2 + 1000) end
return {1, limit - used - 1, 0}
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

export class RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly windowMs = 60_000,
  ) {
    redis.defineCommand('mediaaiSlidingWindow', { numberOfKeys: 2, lua: SCRIPT });
  }

  /** Counts one request for `subject` ("key:<id>" or "ip:<address>") against `limit` per window. */
  async hit(subject: string, limit: number, now = Date.now()): Promise<RateLimitDecision> {
    const window = Math.floor(now / this.windowMs);
    const elapsed = now - window * this.windowMs;
    const base = `${this.prefix}:rl:${subject}`;
    const [allowed, remaining, waitMs] = (await (
      this.redis as Redis & {
        mediaaiSlidingWindow(k1: string, k2: string, ...args: number[]): Promise<[number, number, number]>;
      }
    ).mediaaiSlidingWindow(`${base}:${window}`, `${base}:${window - 1}`, limit, this.windowMs, elapsed)) as [
      number,
      number,
      number,
    ];
    return {
      allowed: allowed === 1,
      limit,
      remaining: Math.max(0, remaining),
      resetSeconds: Math.ceil((this.windowMs - elapsed) / 1000),
      retryAfterSeconds: allowed === 1 ? 0 : Math.ceil(waitMs / 1000),
      windowSeconds: this.windowMs / 1000,
    };
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
