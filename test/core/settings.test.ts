import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { IrisError } from '../../src/errors/IrisError.js';
import { applyPromptPolicy } from '../../src/settings/applyPromptPolicy.js';
import { GuildSettingsStore } from '../../src/settings/GuildSettingsStore.js';
import { guildSettingsDefaults } from '../../src/settings/guildSettingsDefaults.js';
import { guildSettingsOverridesSchema } from '../../src/settings/guildSettingsSchema.js';
import { canManageSettings } from '../../src/settings/permissions.js';
import { createStores } from '../../src/store/createStores.js';
import { captureLogger, uniquePrefix } from './helpers.js';

const defaults = guildSettingsDefaults(loadConfig({ env: {} }));
const scope = { platform: 'discord' as const, guildId: 'g1' };
const manageServer = { platform: 'discord' as const, userId: 'admin', permissions: String(1n << 5n) };

describe('settings permissions', () => {
  it.each([
    ['Manage Server', String(1n << 5n), true],
    ['Administrator', String(1n << 3n), true],
    ['Send Messages only', String(1n << 11n), false],
    ['no permissions', '0', false],
    ['malformed bitfield', 'everything', false],
  ])('Discord member with %s', (_, permissions, allowed) => {
    expect(canManageSettings({ platform: 'discord', userId: 'u', permissions })).toBe(allowed);
  });

  it.each([
    [true, false, true],
    [false, true, true],
    [false, false, false],
  ])('Slack admin %s, owner %s', (isAdmin, isOwner, allowed) => {
    expect(canManageSettings({ platform: 'slack', userId: 'U1', isAdmin, isOwner })).toBe(allowed);
  });
});

describe('settings validation', () => {
  it('accepts a valid change', () => {
    const parsed = guildSettingsOverridesSchema.safeParse({
      limits: { imagineBudget: 5, cooldownMs: 30_000 },
      defaultDescribeMode: 'caption',
      blockedWords: ['castle'],
      blockedPatterns: ['dragons?'],
    });
    expect(parsed.success).toBe(true);
  });

  it.each([
    ['a negative budget', { limits: { imagineBudget: -1 } }, 'limits.imagineBudget'],
    ['an unknown describe mode', { defaultDescribeMode: 'poem' }, 'defaultDescribeMode'],
    ['an unknown key', { imagineBudget: 5 }, ''],
    ['an invalid regular expression', { blockedPatterns: ['(unclosed'] }, 'blockedPatterns.0'],
    ['a nested quantifier', { blockedPatterns: ['(a+)+$'] }, 'blockedPatterns.0'],
    ['a channel id with spaces', { allowedChannels: ['general chat'] }, 'allowedChannels.0'],
  ])('rejects %s', (_, value, path) => {
    const parsed = guildSettingsOverridesSchema.safeParse(value);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path.join('.')).toBe(path);
  });
});

describe('settings store', () => {
  function setup() {
    const { logger, lines } = captureLogger();
    const stores = createStores({
      url: 'memory',
      keyPrefix: uniquePrefix('settings'),
      timeoutMs: 1_000,
      logger,
    });
    return { settings: new GuildSettingsStore(stores.namespaces.settings, defaults, logger), lines };
  }

  it('saves a change and logs who made it', async () => {
    const { settings, lines } = setup();
    const updated = await settings.update(scope, { limits: { imagineBudget: 5 } }, manageServer);
    expect(updated.limits).toEqual({ ...defaults.limits, imagineBudget: 5 });
    expect((await settings.get(scope)).limits.imagineBudget).toBe(5);

    const line = lines.find((entry) => entry.msg === 'Guild settings changed');
    expect(line).toMatchObject({ changedBy: 'admin', guild: 'g1', after: { limits: { imagineBudget: 5 } } });
  });

  it('returns a setting to its default on null', async () => {
    const { settings } = setup();
    await settings.update(scope, { limits: { imagineBudget: 5, describeBudget: 7 } }, manageServer);
    const updated = await settings.update(scope, { limits: { imagineBudget: null } }, manageServer);
    expect(updated.limits).toEqual({ ...defaults.limits, describeBudget: 7 });
  });

  it('rejects a member without Manage Server', async () => {
    const { settings } = setup();
    const member = { platform: 'discord' as const, userId: 'u2', permissions: '0' };
    const error = await settings
      .update(scope, { limits: { imagineBudget: 500 } }, member)
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(IrisError);
    expect(error.code).toBe('SETTINGS_FORBIDDEN');
    expect(error.userMessage).toContain('Manage Server');
    expect((await settings.get(scope)).limits.imagineBudget).toBe(20);
  });

  it('lists every problem of an invalid change', async () => {
    const { settings } = setup();
    const error = await settings
      .update(scope, { limits: { imagineBudget: 'lots' }, blockedPatterns: ['(x'] }, manageServer)
      .catch((caught) => caught);
    expect(error.code).toBe('SETTINGS_INVALID');
    expect(error.userMessage).toContain('limits.imagineBudget');
    expect(error.userMessage).toContain('blockedPatterns.0');
  });
});

describe('prompt policy', () => {
  const settings = { ...defaults, blockedWords: ['castle'], blockedPatterns: ['dragons?\\s+fire'] };

  it('adds the safety negative prompt outside age-restricted channels', () => {
    expect(applyPromptPolicy(settings, { prompt: 'a lighthouse', ageRestricted: false })).toBe(
      defaults.safetyNegativePrompt,
    );
    expect(
      applyPromptPolicy(settings, { prompt: 'a lighthouse', negativePrompt: 'blurry', ageRestricted: false }),
    ).toBe(`blurry, ${defaults.safetyNegativePrompt}`);
    expect(
      applyPromptPolicy(settings, { prompt: 'a lighthouse', negativePrompt: 'blurry', ageRestricted: true }),
    ).toBe('blurry');
  });

  it.each([
    ['a blocked word', 'A CASTLE on a hill', true],
    ['a blocked pattern', 'dragon  fire at night', true],
    ['an NSFW word outside age-restricted channels', 'nude statue', false],
  ])('refuses %s', (_, prompt, ageRestricted) => {
    const error = (() => {
      try {
        applyPromptPolicy(settings, { prompt, ageRestricted });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(IrisError);
    expect((error as IrisError).code).toBe('PROMPT_BLOCKED');
  });

  it('matches whole words only', () => {
    expect(() =>
      applyPromptPolicy(settings, { prompt: 'sandcastles in Essex', ageRestricted: false }),
    ).not.toThrow();
  });

  it('allows NSFW words in age-restricted channels', () => {
    expect(applyPromptPolicy(settings, { prompt: 'nude statue', ageRestricted: true })).toBeUndefined();
  });
});
