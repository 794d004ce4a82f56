import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageActions } from '../../adapters/slack/imageButtons.js';
import { recordFigure } from './figures.js';
import { ADMIN, CHANNEL, type Harness, type Mode, OTHER_USER, startHarness, USER } from './harness.js';
import { blockAction, eventCallback, mentionEvent, slashCommand } from './localSlack/payloads.js';
import type { LocalMessage } from './localSlack/state.js';

describe.each<Mode>(['socket', 'http'])('/imagine and buttons (%s mode)', (mode) => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness(mode);
  });
  afterAll(async () => {
    await harness?.close();
  });

  const buttonMessages = () =>
    harness.slack.workspace.messages.filter((message) =>
      JSON.stringify(message.blocks ?? []).includes(imageActions.reroll),
    );

  async function runImagine(text: string) {
    const { workspace } = harness.slack;
    const delivery = await harness.deliver(
      'slash_commands',
      slashCommand(workspace, {
        command: '/imagine',
        text,
        channel: CHANNEL,
        user: USER,
        responseUrl: harness.slack.responseUrl(),
      }),
    );
    recordFigure(`${mode}: event-to-ack ms (slash command)`, delivery.ackMs);
    await harness.adapter.idle();
    return delivery;
  }

  async function click(actionId: string, message: LocalMessage, user = USER) {
    const delivery = await harness.deliver(
      'interactive',
      blockAction(harness.slack.workspace, {
        actionId,
        message,
        user,
        responseUrl: harness.slack.responseUrl(),
      }),
    );
    expect(delivery.acked).toBe(true);
    recordFigure(`${mode}: event-to-ack ms (button)`, delivery.ackMs);
    await harness.adapter.idle();
    return delivery;
  }

  it('/imagine posts anchor, image and buttons', async () => {
    const { workspace } = harness.slack;
    const delivery = await runImagine('a lighthouse at dusk --seed 42 --steps 20 --size 768x512');
    expect(delivery.acked).toBe(true);

    const anchor = workspace.messages.find((message) => message.text.includes('asked me to imagine'));
    expect(anchor?.thread_ts).toBeUndefined();
    const generation = harness.huggingFace.generations.at(-1);
    expect(generation?.parameters).toMatchObject({
      seed: 42,
      num_inference_steps: 20,
      width: 768,
      height: 512,
    });

    const thread = workspace.thread(CHANNEL, anchor?.ts as string);
    const upload = thread.find((message) => message.files !== undefined);
    expect(upload?.thread_ts).toBe(anchor?.ts);
    const file = workspace.files.get(String(upload?.files?.[0]?.id));
    expect(file?.mimetype).toBe('image/png');
    expect(file?.altText).toBe('a lighthouse at dusk');

    const buttons = buttonMessages().at(-1);
    expect(buttons?.thread_ts).toBe(anchor?.ts);
    expect(buttons?.text).toContain('seed 42');
  });

  it('bad flag is answered in the ack', async () => {
    const before = harness.slack.workspace.messages.length;
    const delivery = await runImagine('a cat --steps 500');
    expect(delivery.acked).toBe(true);
    expect(String(delivery.ackPayload?.text)).toContain('steps must be from 10 to 50');
    expect(harness.slack.workspace.messages.length).toBe(before);
  });

  it('Re-roll generates with a new seed', async () => {
    const buttons = buttonMessages().at(-1) as LocalMessage;
    const before = harness.huggingFace.generations.length;
    await click(imageActions.reroll, buttons);
    expect(harness.huggingFace.generations.length).toBe(before + 1);
    expect(harness.huggingFace.generations.at(-1)?.inputs).toContain('a lighthouse at dusk');
    expect(buttonMessages().at(-1)?.thread_ts).toBe(buttons.thread_ts);
  });

  it('Variations generates four images', async () => {
    const buttons = buttonMessages().at(-1) as LocalMessage;
    const before = harness.huggingFace.generations.length;
    await click(imageActions.variations, buttons);
    expect(harness.huggingFace.generations.length).toBe(before + 4);
    const upload = harness.slack.workspace.messages.filter((message) => message.files !== undefined).at(-1);
    expect(upload?.files).toHaveLength(4);
  });

  it('Describe streams a description of the image', async () => {
    const buttons = buttonMessages().at(-1) as LocalMessage;
    const before = harness.ollama.chats.length;
    await click(imageActions.describe, buttons);
    expect(harness.ollama.chats.length).toBe(before + 4);
    expect(harness.ollama.chats.at(-1)?.messages[0]?.imageMagic).toEqual(['png']);
    expect(harness.slack.workspace.thread(CHANNEL, buttons.thread_ts as string).at(-1)?.text).toMatch(
      /Image 4 of 4/,
    );
  });

  it('Delete by another user is refused', async () => {
    const buttons = buttonMessages().at(-1) as LocalMessage;
    await click(imageActions.delete, buttons, OTHER_USER);
    expect(harness.slack.workspace.messages).toContain(buttons);
    expect(harness.slack.workspace.ephemerals.at(-1)).toMatchObject({ user: OTHER_USER });
    expect(harness.slack.workspace.ephemerals.at(-1)?.text).toMatch(/Only the person who asked/);
  });

  it('Delete by an admin removes images and buttons', async () => {
    const buttons = buttonMessages().at(-1) as LocalMessage;
    const filesBefore = harness.slack.workspace.files.size;
    await click(imageActions.delete, buttons, ADMIN);
    expect(harness.slack.workspace.messages).not.toContain(buttons);
    expect(harness.slack.workspace.files.size).toBe(filesBefore - 4);
  });

  it('Delete by the requester works', async () => {
    const buttons = buttonMessages()[0] as LocalMessage;
    await click(imageActions.delete, buttons, USER);
    expect(harness.slack.workspace.messages).not.toContain(buttons);
  });

  it('mention with imagine generates in thread', async () => {
    const { workspace } = harness.slack;
    const message = workspace.addUserMessage({
      channel: CHANNEL,
      user: USER,
      text: `<@${workspace.ids.botUserId}> imagine a red fox --seed 7`,
    });
    await harness.deliver('events_api', eventCallback(workspace, mentionEvent(workspace, message)));
    await harness.adapter.idle();
    expect(harness.huggingFace.generations.at(-1)?.parameters).toMatchObject({ seed: 7 });
    expect(buttonMessages().at(-1)?.thread_ts).toBe(message.ts);
  });

  it('/describe explains how to use it', async () => {
    const delivery = await harness.deliver(
      'slash_commands',
      slashCommand(harness.slack.workspace, {
        command: '/describe',
        text: '',
        channel: CHANNEL,
        user: USER,
        responseUrl: harness.slack.responseUrl(),
      }),
    );
    expect(delivery.acked).toBe(true);
    expect(String(delivery.ackPayload?.text)).toContain('Slash commands cannot carry files');
  });
});
