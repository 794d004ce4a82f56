import { discordRelativeTime, type Refusal, refusalMessage } from '../../src/limits/Refusal.js';
import type { GuildScope } from '../../src/settings/GuildSettingsStore.js';
import type { DiscordContext } from './context.js';

/**
 * The ephemeral text for a refused request, with the next slot as a Discord relative timestamp. A
 * channel refusal also lists the channels the admins allowed.
 */
export async function refusalText(
  context: DiscordContext,
  refusal: Refusal,
  scope: GuildScope,
): Promise<string> {
  const text = refusalMessage(refusal, discordRelativeTime);
  if (refusal.reason !== 'channel-not-allowed') return text;
  try {
    const { allowedChannels } = await context.jobs.settings.get(scope);
    return `${text} Allowed channels: ${allowedChannels.map((id) => `<#${id}>`).join(', ')}.`;
  } catch {
    // The refusal itself read these settings a moment ago; without the list the message still holds.
    return text;
  }
}
