import { DiscordHttpError, discordError } from './httpError.js';

/** An error the server answers on matching requests instead of handling them. */
export interface InjectedFault {
  method: string;
  /** Matched against the path after `/api/v10`, e.g. `/channels/1/messages`. */
  path: RegExp;
  code: number;
  /** How many matching requests get the error; later ones are handled normally. */
  times: number;
}

/** A per-route rate limit: at most `limit` requests per `windowMs` for each route bucket. */
export interface RouteRateLimit {
  method: string;
  path: RegExp;
  limit: number;
  windowMs: number;
}

export interface RateLimitAnswer {
  retryAfterSeconds: number;
  bucket: string;
}

/** Injected error codes and per-route rate limits, checked before a route runs. */
export class Faults {
  readonly faults: InjectedFault[] = [];
  readonly rateLimits: RouteRateLimit[] = [];
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  fail(fault: Omit<InjectedFault, 'times'> & { times?: number }): void {
    this.faults.push({ ...fault, times: fault.times ?? 1 });
  }

  /** Returns the injected error for this request, consuming one use of it. */
  takeFault(method: string, path: string): DiscordHttpError | undefined {
    const fault = this.faults.find(
      (item) => item.times > 0 && item.method === method && item.path.test(path),
    );
    if (!fault) return undefined;
    fault.times--;
    return discordError(fault.code);
  }

  /** Counts the request against its bucket; returns the wait when the bucket is full. */
  checkRateLimit(method: string, path: string, now = Date.now()): RateLimitAnswer | undefined {
    const limit = this.rateLimits.find((item) => item.method === method && item.path.test(path));
    if (!limit) return undefined;
    // Discord keys buckets by route and major parameter (channel, webhook), not by message id.
    const bucket = `${method} ${path.replace(/\/messages\/\d+/, '/messages/:id')}`;
    let window = this.windows.get(bucket);
    if (!window || now - window.startedAt >= limit.windowMs) {
      window = { startedAt: now, count: 0 };
      this.windows.set(bucket, window);
    }
    window.count++;
    if (window.count <= limit.limit) return undefined;
    return { retryAfterSeconds: (window.startedAt + limit.windowMs - now) / 1000, bucket };
  }
}

export { DiscordHttpError };
