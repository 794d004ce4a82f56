import { type REST, RESTEvents } from 'discord.js';
import type { Logger } from '../../src/logging/logger.js';
import type { IrisMetrics } from '../../src/metrics/IrisMetrics.js';

/**
 * Counts Discord rate limits in `iris_platform_rate_limited_total`, by route. discord.js waits out a
 * rate limit itself and then sends the request again, so the adapter never gets an error for it.
 * The REST client's `rateLimited` event is the only place to count it. The route label is
 * discord.js's bucket route, a template whose ids and tokens are `:id` and `:token`.
 *
 * NOTE: @discordjs/rest 2.6 emits `rateLimited` each time a request waits on a bucket it knows is
 * empty. That happens after a 429 whose headers say the bucket is empty (Discord sends them), but
 * also before any 429 when an earlier response said no requests were left. So this counts waits
 * for a rate limit, not only 429 responses.
 */
export function watchRateLimits(rest: REST, metrics: IrisMetrics, logger: Logger): void {
  rest.on(RESTEvents.RateLimited, (info) => {
    metrics.platformRateLimited({ platform: 'discord', route: info.route });
    // The URL is left out: interaction and webhook URLs carry a token.
    logger.debug(
      {
        method: info.method,
        route: info.route,
        retryAfterMs: info.retryAfter,
        global: info.global,
        scope: info.scope,
      },
      'Discord rate limit reached; discord.js waits and sends the request again',
    );
  });
}
