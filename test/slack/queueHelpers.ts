import { setTimeout as sleep } from 'node:timers/promises';
import { CHANNEL, type Harness, readFixture } from './harness.js';
import { eventCallback, mentionEvent, slashCommand } from './localSlack/payloads.js';
import type { LocalMessage } from './localSlack/state.js';

/** Polls until `condition` holds; throws with `what` after `timeoutMs` milliseconds. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Posts a message with an image that mentions the bot and delivers its event; returns the message. */
export async function mentionWithImage(
  harness: Harness,
  user: string,
  options: { channel?: string; teamId?: string } = {},
): Promise<LocalMessage> {
  const { workspace } = harness.slack;
  const file = workspace.addFile({
    name: 'waterview.jpg',
    mimetype: 'image/jpeg',
    bytes: await readFixture('waterview.jpg'),
    user,
  });
  const message = workspace.addUserMessage({
    channel: options.channel ?? CHANNEL,
    user,
    text: `<@${workspace.ids.botUserId}>`,
    files: [file],
  });
  const payload = eventCallback(workspace, mentionEvent(workspace, message));
  if (options.teamId !== undefined) payload.team_id = options.teamId;
  await harness.deliver('events_api', payload);
  return message;
}

/** Runs a slash command and returns the text of the first reply to its `response_url`. */
export async function runCommand(
  harness: Harness,
  command: string,
  text: string,
  user: string,
  channel = CHANNEL,
): Promise<{ ackText: string | undefined; replies: () => string[] }> {
  const responseUrl = harness.slack.responseUrl();
  const delivery = await harness.deliver(
    'slash_commands',
    slashCommand(harness.slack.workspace, { command, text, channel, user, responseUrl }),
  );
  const id = responseUrl.split('/').at(-1);
  return {
    ackText: delivery.ackPayload?.text as string | undefined,
    replies: () =>
      harness.slack.responses.filter((entry) => entry.id === id).map((entry) => String(entry.body.text)),
  };
}

/** Runs `/iris …` and waits for its answer. */
export async function iris(harness: Harness, text: string, user: string): Promise<string> {
  const run = await runCommand(harness, '/iris', text, user);
  await waitFor(() => run.replies().length > 0, `/iris ${text} answer`);
  return run.replies()[0] as string;
}

/** Bot messages in a thread that carry a button with `actionId`. */
export function messagesWithAction(harness: Harness, channel: string, threadTs: string, actionId: string) {
  return harness.slack.workspace
    .thread(channel, threadTs)
    .filter((message) => JSON.stringify(message.blocks ?? []).includes(actionId));
}
