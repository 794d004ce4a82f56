import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, type Interaction, type Message, Partials } from 'discord.js';
import type { IrisCore } from '../../src/core/createCore.js';
import type { JobSystem } from '../../src/queue/createJobSystem.js';
import type { PlatformHandlers } from '../../src/queue/handlers.js';
import { UpdatePacer } from '../../src/stream/UpdatePacer.js';
import { AnchorEdits } from './anchorEdits.js';
import { DESCRIBE_MENU_NAME } from './commandDefinitions.js';
import type { DiscordContext, DiscordSettings } from './context.js';
import { ConversationStore } from './conversations.js';
import { watchGateway } from './gatewayEvents.js';
import { gatewayReadiness } from './gatewayReadiness.js';
import { handleButton } from './handlers/buttonHandler.js';
import { handleDescribeCommand, handleDescribeMenu } from './handlers/describeHandlers.js';
import { handleFollowUp } from './handlers/followUpHandler.js';
import { handleImagineCommand } from './handlers/imagineHandler.js';
import { handleIrisCommand } from './handlers/irisCommandHandler.js';
import { handleQueueButton } from './handlers/queueButtonHandler.js';
import { discordJobHandlers } from './queueHandlers.js';
import { watchRateLimits } from './rateLimits.js';
import { RetryStore } from './retryStore.js';

/** Discord's lifetime of an interaction token, in milliseconds. */
export const INTERACTION_TOKEN_TTL_MS = 15 * 60_000;

export interface RunningDiscord {
  name: 'discord';
  client: Client<true>;
  /** Stops taking new interactions and messages; jobs already running go on. */
  stop(): Promise<void>;
  /** Waits for running jobs, then closes the gateway connection. */
  close(): Promise<void>;
}

export interface StartDiscordOptions {
  /** Overrides the 15-minute token lifetime, so tests can reach expiry quickly. */
  interactionTtlMs?: number;
  /**
   * The process's limits, settings and queue, shared with the other adapters. Its owner closes it:
   * the queue stops starting jobs after `stop()`, and the stores close after `close()`.
   */
  jobs: JobSystem;
}

function routeInteraction(context: DiscordContext, interaction: Interaction): Promise<void> | undefined {
  if (interaction.isChatInputCommand()) {
    if (interaction.commandName === 'describe') return handleDescribeCommand(context, interaction);
    if (interaction.commandName === 'imagine') return handleImagineCommand(context, interaction);
    if (interaction.commandName === 'iris') return handleIrisCommand(context, interaction);
  }
  if (interaction.isMessageContextMenuCommand() && interaction.commandName === DESCRIBE_MENU_NAME) {
    return handleDescribeMenu(context, interaction);
  }
  if (interaction.isButton()) {
    return handleQueueButton(context, interaction).then(async (handled) => {
      if (!handled) await handleButton(context, interaction);
    });
  }
  return undefined;
}

/**
 * Connects to Discord through the gateway and answers Iris's commands, buttons and follow-up questions.
 * Registers the Discord handlers with the job queue and restores this platform's stored jobs, so the
 * jobs of a previous run resume or are reported interrupted. Resolves once the client is ready.
 */
export async function startDiscord(core: IrisCore, options: StartDiscordOptions): Promise<RunningDiscord> {
  const { config } = core;
  const token = config.DISCORD_TOKEN;
  if (token === undefined) throw new Error('DISCORD_TOKEN is not set.');

  const intents = [
    GatewayIntentBits.Guilds,
    GatewayIntentBits.GuildMessages,
    GatewayIntentBits.DirectMessages,
  ];
  if (config.DISCORD_MESSAGE_CONTENT) intents.push(GatewayIntentBits.MessageContent);
  const client = new Client({
    intents,
    partials: [Partials.Channel],
    rest: { api: config.DISCORD_API_URL },
    allowedMentions: { parse: [] },
  });
  const logger = core.logger.child({ platform: 'discord' });
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
  const gateway = watchGateway(client, logger);
  watchRateLimits(client.rest, core.metrics, logger);

  const settings: DiscordSettings = {
    editIntervalMs: config.DISCORD_EDIT_INTERVAL_MS,
    anchorUpdateMs: config.DISCORD_ANCHOR_UPDATE_MS,
    anchorEditsPerSecond: config.DISCORD_ANCHOR_EDITS_PER_SECOND,
    streamEditsPerSecond: config.DISCORD_STREAM_EDITS_PER_SECOND,
    cdnHosts: config.DISCORD_CDN_HOSTS,
    interactionTtlMs: options.interactionTtlMs ?? INTERACTION_TOKEN_TTL_MS,
    messageContent: config.DISCORD_MESSAGE_CONTENT,
  };
  const pending = new Set<Promise<void>>();
  let accepting = true;
  const track = (work: () => Promise<void> | undefined) => {
    if (!accepting) return;
    const started = work();
    if (started === undefined) return;
    const guarded = started.catch((error: unknown) =>
      logger.error({ err: error }, 'unhandled error in a handler'),
    );
    pending.add(guarded);
    void guarded.finally(() => pending.delete(guarded));
  };

  const { jobs } = options;

  const ready = once(client, Events.ClientReady) as Promise<[Client<true>]>;
  await client.login(token);
  const [readyClient] = await ready;
  gateway.attachShards();
  const removeReadiness = core.readiness.register('discord gateway', gatewayReadiness(readyClient));
  const context: DiscordContext = {
    core,
    jobs,
    rest: client.rest,
    botUserId: readyClient.user.id,
    settings,
    conversations: new ConversationStore(jobs.stores.namespaces.conversations, logger),
    retries: new RetryStore(jobs.stores.namespaces.jobs),
    anchorEdits: new AnchorEdits(settings.anchorEditsPerSecond),
    streamPacer: new UpdatePacer(settings.streamEditsPerSecond),
    accepting: () => accepting,
  };

  // Jobs the queue runs are tracked too, so close() waits for them.
  const handlers = discordJobHandlers(context);
  const tracked: PlatformHandlers = {
    run: (job, signal, progress) => {
      const run = handlers.run(job, signal, progress);
      const guarded = run.catch(() => undefined);
      pending.add(guarded);
      void guarded.finally(() => pending.delete(guarded));
      return run;
    },
    resume: handlers.resume,
  };
  jobs.queue.register('discord', tracked);
  try {
    const report = await jobs.queue.restore();
    logger.info(
      { requeued: report.requeued.length, interrupted: report.interrupted.length },
      'stored jobs restored',
    );
  } catch (error) {
    logger.error({ err: error }, 'could not restore stored jobs; they stay in the store for the next start');
  }

  client.on(Events.InteractionCreate, (interaction) => track(() => routeInteraction(context, interaction)));
  client.on(Events.MessageCreate, (message: Message) => track(() => handleFollowUp(context, message)));
  logger.info({ user: readyClient.user.id, guilds: readyClient.guilds.cache.size }, 'connected to Discord');

  return {
    name: 'discord',
    client: readyClient,
    async stop() {
      accepting = false;
    },
    async close() {
      accepting = false;
      while (pending.size > 0) await Promise.allSettled([...pending]);
      context.anchorEdits.close();
      context.streamPacer.close();
      removeReadiness();
      gateway.stop();
      await client.destroy();
    },
  };
}
