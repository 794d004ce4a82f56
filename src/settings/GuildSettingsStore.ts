import type { Keyv } from 'keyv';
import { IrisError } from '../errors/IrisError.js';
import type { Logger } from '../logging/logger.js';
import { storeUnavailable } from '../store/storeUnavailable.js';
import { resolveGuildSettings } from './guildSettingsDefaults.js';
import {
  type GuildSettings,
  type GuildSettingsOverrides,
  guildSettingsOverridesSchema,
} from './guildSettingsSchema.js';
import { canManageSettings, type SettingsActor } from './permissions.js';

/** A Discord guild or a Slack workspace (team). */
export interface GuildScope {
  platform: 'discord' | 'slack' | 'cli';
  guildId: string;
}

/**
 * Per-guild settings in the `settings` namespace, stored without a TTL as the overrides an admin
 * made. Reads merge them over the defaults; writes are validated with zod and logged with the actor.
 */
export class GuildSettingsStore {
  constructor(
    private readonly keyv: Keyv,
    private readonly defaults: GuildSettings,
    private readonly logger: Logger,
  ) {}

  /**
   * Returns the settings in force for a guild. Stored data that no longer validates (after an
   * upgrade, say) is logged and ignored rather than trusted. Throws `STORE_UNAVAILABLE`.
   */
  async get(scope: GuildScope): Promise<GuildSettings> {
    return resolveGuildSettings(this.defaults, await this.#overrides(scope));
  }

  /**
   * Validates `patch` (the same shape as the overrides, any subset), merges it into the stored
   * overrides and saves them. A `null` value, at the top level or inside `limits`, removes that
   * override, so the setting returns to its default. Throws `SETTINGS_FORBIDDEN` unless
   * {@link canManageSettings} allows the actor, `SETTINGS_INVALID` with every problem listed, or
   * `STORE_UNAVAILABLE`.
   */
  async update(scope: GuildScope, patch: unknown, actor: SettingsActor): Promise<GuildSettings> {
    if (!canManageSettings(actor)) {
      throw new IrisError('SETTINGS_FORBIDDEN', 'The user may not change this guild’s settings.', {
        userMessage:
          actor.platform === 'slack'
            ? 'Only workspace admins and owners can change Iris settings.'
            : 'Only members with the Manage Server permission can change Iris settings.',
        details: { userId: actor.userId, guildId: scope.guildId },
      });
    }

    const current = await this.#overrides(scope);
    const merged = mergePatch(current, patch);
    const parsed = guildSettingsOverridesSchema.safeParse(merged);
    if (!parsed.success) {
      const problems = parsed.error.issues.map(
        (issue) => `${issue.path.join('.') || 'settings'}: ${issue.message}`,
      );
      throw new IrisError('SETTINGS_INVALID', `Invalid settings: ${problems.join('; ')}`, {
        userMessage: `Those settings were not saved:\n${problems.map((problem) => `• ${problem}`).join('\n')}`,
        details: { problems },
      });
    }

    try {
      await this.keyv.set(settingsKey(scope), parsed.data);
    } catch (cause) {
      throw storeUnavailable('settings update', cause);
    }

    this.logger.info(
      {
        platform: scope.platform,
        guild: scope.guildId,
        changedBy: actor.userId,
        before: current,
        after: parsed.data,
      },
      'Guild settings changed',
    );
    return resolveGuildSettings(this.defaults, parsed.data);
  }

  async #overrides(scope: GuildScope): Promise<GuildSettingsOverrides> {
    let stored: unknown;
    try {
      stored = await this.keyv.get(settingsKey(scope));
    } catch (cause) {
      throw storeUnavailable('settings read', cause);
    }
    if (stored === undefined) return {};

    const parsed = guildSettingsOverridesSchema.safeParse(stored);
    if (parsed.success) return parsed.data;
    this.logger.warn(
      {
        platform: scope.platform,
        guild: scope.guildId,
        problems: parsed.error.issues.map((issue) => issue.message),
      },
      'Stored guild settings are invalid; using the defaults until an admin saves them again',
    );
    return {};
  }
}

function settingsKey(scope: GuildScope): string {
  return `${scope.platform}:${scope.guildId}`;
}

function mergePatch(current: GuildSettingsOverrides, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else if (key === 'limits' && typeof value === 'object' && !Array.isArray(value)) {
      // A null limit returns that one limit to its default.
      const limits: Record<string, unknown> = { ...current.limits, ...value };
      for (const [name, limit] of Object.entries(limits)) if (limit === null) delete limits[name];
      merged.limits = limits;
    } else merged[key] = value;
  }
  return merged;
}
