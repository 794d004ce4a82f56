/** Thrown when `npm run start:sharded` cannot start; the message names the setting to change. */
export class ShardingError extends Error {
  readonly code = 'SHARDING_MISCONFIGURED';

  constructor(message: string) {
    super(message);
    this.name = 'ShardingError';
  }
}
