import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL, type Harness, SIGNING_SECRET, startHarness, USER } from './harness.js';
import { eventCallback, mentionEvent } from './localSlack/payloads.js';
import { postSigned } from './localSlack/signedRequests.js';

describe('HTTP receiver signature checks', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness('http');
  });
  afterAll(async () => {
    await harness?.close();
  });

  function mentionPayload() {
    const { workspace } = harness.slack;
    const message = workspace.addUserMessage({
      channel: CHANNEL,
      user: USER,
      text: `<@${workspace.ids.botUserId}> hi`,
    });
    return eventCallback(workspace, mentionEvent(workspace, message));
  }

  it('bad signature is rejected with 401', async () => {
    const before = harness.slack.workspace.calls.length;
    const result = await postSigned(harness.receiverUrl as string, 'events_api', mentionPayload(), {
      signingSecret: SIGNING_SECRET,
      wrongSecret: 'not-the-signing-secret',
    });
    expect(result.status).toBe(401);
    await harness.adapter.idle();
    expect(harness.slack.workspace.calls.length).toBe(before);
  });

  it('stale timestamp is rejected with 401', async () => {
    const result = await postSigned(harness.receiverUrl as string, 'events_api', mentionPayload(), {
      signingSecret: SIGNING_SECRET,
      timestampOffsetSeconds: -6 * 60,
    });
    expect(result.status).toBe(401);
  });

  it('valid signature is accepted', async () => {
    const result = await postSigned(harness.receiverUrl as string, 'events_api', mentionPayload(), {
      signingSecret: SIGNING_SECRET,
    });
    expect(result.status).toBe(200);
    await harness.adapter.idle();
  });

  it('secrets never reach the log', () => {
    const text = JSON.stringify(harness.logs);
    expect(text).not.toContain(SIGNING_SECRET);
    expect(text).not.toContain('xoxb-local');
  });
});
