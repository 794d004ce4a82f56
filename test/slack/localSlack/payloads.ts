import { randomUUID } from 'node:crypto';
import type { LocalMessage } from './state.js';
import type { LocalWorkspace } from './workspace.js';

/** Payloads as Slack delivers them, for events, slash commands, shortcuts and button clicks. */

let eventCounter = 0;

export function newEventId(): string {
  eventCounter++;
  return `Ev${String(eventCounter).padStart(9, '0')}`;
}

/** Wraps an event in the Events API envelope. */
export function eventCallback(
  workspace: LocalWorkspace,
  event: Record<string, unknown>,
  eventId = newEventId(),
): Record<string, unknown> {
  return {
    token: 'legacy-verification-token',
    team_id: workspace.ids.teamId,
    api_app_id: workspace.ids.appId,
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      {
        team_id: workspace.ids.teamId,
        user_id: workspace.ids.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  };
}

/** The `app_mention` event for a message a user posted (stored in the workspace first). */
export function mentionEvent(workspace: LocalWorkspace, message: LocalMessage): Record<string, unknown> {
  return {
    type: 'app_mention',
    user: message.user,
    text: message.text,
    ts: message.ts,
    channel: message.channel,
    event_ts: message.ts,
    ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
    ...(message.files ? { files: message.files } : {}),
    team: workspace.ids.teamId,
  };
}

/** The `message` event of a direct message to the bot. */
export function directMessageEvent(message: LocalMessage): Record<string, unknown> {
  return {
    type: 'message',
    channel_type: 'im',
    user: message.user,
    text: message.text,
    ts: message.ts,
    channel: message.channel,
    event_ts: message.ts,
    ...(message.files ? { subtype: 'file_share', files: message.files } : {}),
  };
}

export function slashCommand(
  workspace: LocalWorkspace,
  command: { command: string; text: string; channel: string; user: string; responseUrl: string },
): Record<string, unknown> {
  return {
    token: 'legacy-verification-token',
    team_id: workspace.ids.teamId,
    team_domain: 'iris-test',
    channel_id: command.channel,
    channel_name: 'general',
    user_id: command.user,
    user_name: 'tester',
    command: command.command,
    text: command.text,
    api_app_id: workspace.ids.appId,
    is_enterprise_install: 'false',
    response_url: command.responseUrl,
    trigger_id: randomUUID(),
  };
}

/** The `value` of the button with `actionId` in a message's blocks, as Slack sends it back on a click. */
function buttonValue(message: LocalMessage, actionId: string): string {
  for (const block of (message.blocks ?? []) as Array<{ elements?: Array<Record<string, unknown>> }>) {
    const button = block.elements?.find((element) => element.action_id === actionId);
    if (typeof button?.value === 'string') return button.value;
  }
  return actionId;
}

/** A click on a button of a message the bot posted. */
export function blockAction(
  workspace: LocalWorkspace,
  click: { actionId: string; message: LocalMessage; user: string; responseUrl: string },
): Record<string, unknown> {
  const { message } = click;
  return {
    type: 'block_actions',
    user: { id: click.user, username: 'tester', team_id: workspace.ids.teamId },
    api_app_id: workspace.ids.appId,
    token: 'legacy-verification-token',
    container: {
      type: 'message',
      message_ts: message.ts,
      channel_id: message.channel,
      is_ephemeral: false,
      ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
    },
    trigger_id: randomUUID(),
    team: { id: workspace.ids.teamId, domain: 'iris-test' },
    channel: { id: message.channel, name: 'general' },
    message: {
      type: 'message',
      user: message.user,
      bot_id: message.bot_id,
      ts: message.ts,
      text: message.text,
      blocks: message.blocks,
      ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
    },
    response_url: click.responseUrl,
    actions: [
      {
        action_id: click.actionId,
        block_id: 'iris_image_actions',
        value: buttonValue(message, click.actionId),
        type: 'button',
        action_ts: String(Date.now() / 1000),
      },
    ],
  };
}

/** A message shortcut run on a message. */
export function messageShortcut(
  workspace: LocalWorkspace,
  run: { callbackId: string; message: LocalMessage; user: string; responseUrl: string },
): Record<string, unknown> {
  const { message } = run;
  return {
    type: 'message_action',
    token: 'legacy-verification-token',
    action_ts: String(Date.now() / 1000),
    team: { id: workspace.ids.teamId, domain: 'iris-test' },
    user: { id: run.user, name: 'tester', team_id: workspace.ids.teamId },
    channel: { id: message.channel, name: 'general' },
    is_enterprise_install: false,
    callback_id: run.callbackId,
    trigger_id: randomUUID(),
    message_ts: message.ts,
    message: {
      type: 'message',
      user: message.user,
      ts: message.ts,
      text: message.text,
      ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
      ...(message.files ? { files: message.files } : {}),
    },
    response_url: run.responseUrl,
  };
}
