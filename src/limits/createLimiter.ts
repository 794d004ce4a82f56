import type { IrisStores } from '../store/createStores.js';
import { LocalSlidingWindowLimiter } from './LocalSlidingWindowLimiter.js';
import { RedisSlidingWindowLimiter } from './RedisSlidingWindowLimiter.js';
import type { SlidingWindowLimiter } from './SlidingWindowLimiter.js';

/** Picks the limiter for the store: an atomic Lua script on Redis, a locked Keyv log otherwise. */
export function createLimiter(stores: IrisStores): SlidingWindowLimiter {
  if (stores.redis !== undefined) {
    return new RedisSlidingWindowLimiter(stores.redis, `${stores.keyPrefix}:limits`);
  }
  return new LocalSlidingWindowLimiter(stores.namespaces.limits);
}
