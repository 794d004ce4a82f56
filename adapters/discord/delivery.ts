import { ChannelType, PermissionFlagsBits } from 'discord-api-types/v10';
import type { Delivery } from './job.js';

export interface DeliveryInput {
  private: boolean;
  guildId: string | null;
  channelType: ChannelType | undefined;
  /** The bot's permissions in the channel, as Discord sends them with the interaction. */
  appPermissions: bigint;
}

const THREAD_TYPES = new Set<ChannelType | undefined>([
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
  ChannelType.AnnouncementThread,
]);
const THREAD_PARENT_TYPES = new Set<ChannelType | undefined>([
  ChannelType.GuildText,
  ChannelType.GuildAnnouncement,
]);

/** Decides from the interaction alone (no I/O) whether the result can go into a new thread. */
export function chooseDelivery(input: DeliveryInput): { delivery: Delivery; note?: string } {
  if (input.private) return { delivery: 'ephemeral' };
  if (input.guildId === null) return { delivery: 'in-place' };
  if (THREAD_TYPES.has(input.channelType)) return { delivery: 'in-place' };
  if (!THREAD_PARENT_TYPES.has(input.channelType)) return { delivery: 'in-place' };

  const needed = PermissionFlagsBits.CreatePublicThreads | PermissionFlagsBits.SendMessagesInThreads;
  if ((input.appPermissions & needed) !== needed) {
    return {
      delivery: 'in-place',
      note: 'The bot cannot start threads here (it needs Create Public Threads and Send Messages in Threads), so the result is posted below.',
    };
  }
  return { delivery: 'thread' };
}
