import { type APIChannel, type APIMessage, ChannelType } from 'discord-api-types/v10';
import { newSnowflake, newSnowflakeOnShard } from './snowflake.js';

/** A file uploaded through the REST API and served back by the local CDN route. */
export interface StoredFile {
  data: Buffer;
  contentType: string;
  filename: string;
}

/** An interaction the server dispatched, with what the bot has done with it. */
export interface InteractionRecord {
  id: string;
  token: string;
  channelId: string;
  guildId: string | undefined;
  createdAt: number;
  /** Time of the callback, in ms since the epoch; undefined until the bot acknowledges. */
  acknowledgedAt: number | undefined;
  /** Callback type the bot answered with (4 reply, 5 deferred, 6 deferred update, 7 update). */
  callbackType: number | undefined;
  ephemeral: boolean;
  originalMessageId: string | undefined;
  /** The message a component interaction was used on. */
  sourceMessageId: string | undefined;
}

/** Channels, messages, uploads and interactions of the local Discord. */
export class DiscordState {
  readonly applicationId = newSnowflake();
  readonly botUser = {
    id: this.applicationId,
    username: 'iris',
    discriminator: '0',
    global_name: 'Iris',
    avatar: null,
    bot: true,
  };
  /** The test guild: channels belong to it unless a test adds them to another guild. */
  readonly guildId = newSnowflake();
  /** Every guild the bot is in, the test guild first; READY and GUILD_CREATE list them by shard. */
  readonly guilds: string[] = [this.guildId];
  readonly channels = new Map<string, APIChannel>();
  readonly messages = new Map<string, APIMessage>();
  readonly files = new Map<string, StoredFile>();
  readonly interactions = new Map<string, InteractionRecord>();

  /**
   * Adds a guild the bot is in and returns its id; with `shard` the id is chosen so Discord routes
   * the guild to that shard of `shardCount`. Add channels to it with `addChannel(type, { guild_id })`.
   */
  addGuild(placement?: { shard: number; shardCount: number }): string {
    const id = placement ? newSnowflakeOnShard(placement.shard, placement.shardCount) : newSnowflake();
    this.guilds.push(id);
    return id;
  }

  /** Adds a channel of the test guild (or a DM when `type` is a DM type) and returns it. */
  addChannel(type: ChannelType, extra: Record<string, unknown> = {}): APIChannel {
    const id = newSnowflake();
    const isDirect = type === ChannelType.DM || type === ChannelType.GroupDM;
    const channel = {
      id,
      type,
      name: `channel-${this.channels.size + 1}`,
      ...(isDirect ? { recipients: [] } : { guild_id: this.guildId, position: 0, permission_overwrites: [] }),
      ...extra,
    } as unknown as APIChannel;
    this.channels.set(id, channel);
    return channel;
  }

  /** Adds a thread under `parentId`, as a user would create it. */
  addThread(parentId: string, type = ChannelType.PublicThread): APIChannel {
    return this.addChannel(type, {
      parent_id: parentId,
      owner_id: newSnowflake(),
      thread_metadata: {
        archived: false,
        locked: false,
        auto_archive_duration: 1440,
        archive_timestamp: new Date().toISOString(),
      },
    });
  }

  /** Messages of a channel in the order they were posted, ephemeral ones left out. */
  channelMessages(channelId: string): APIMessage[] {
    return [...this.messages.values()].filter(
      (message) => message.channel_id === channelId && (Number(message.flags ?? 0) & 64) === 0,
    );
  }
}
