import { afterEach, describe, expect, it, vi } from 'vitest';
import { AnchorEdits } from '../../adapters/discord/anchorEdits.js';
import { AnchorStatusView, ESTIMATE_TOLERANCE_MS } from '../../adapters/discord/anchorStatus.js';
import type { DiscordJob } from '../../adapters/discord/job.js';
import type { JobStatus } from '../../src/queue/JobStatus.js';
import type { Job } from '../../src/queue/job.js';

/** An edit that records its label when it runs. */
function recorder(sent: string[]) {
  return (label: string) => async () => {
    sent.push(label);
  };
}

describe('AnchorEdits', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps final edits and the latest refresh', async () => {
    // A frozen clock: the budget holds one refresh and never refills.
    const edits = new AnchorEdits(1, () => 0);
    const sent: string[] = [];
    const edit = recorder(sent);
    const keys = Array.from({ length: 10 }, (_, index) => `anchor-${index}`);

    for (const key of keys) {
      for (let position = 10; position >= 1; position--)
        edits.refresh(key, edit(`${key} position ${position}`));
    }
    expect(edits.waitingRefreshes).toBe(keys.length);
    // Let the refresh the budget started run before the final edits are requested.
    await new Promise(setImmediate);
    await Promise.all(keys.map((key) => edits.run(key, edit(`${key} done`))));
    edits.close();

    // Only the one refresh the budget allowed went out; each anchor got its final edit, after it.
    expect(sent.filter((label) => label.includes('position'))).toEqual(['anchor-0 position 10']);
    expect(sent.indexOf('anchor-0 done')).toBeGreaterThan(sent.indexOf('anchor-0 position 10'));
    for (const key of keys) expect(sent).toContain(`${key} done`);
    expect(sent).toHaveLength(keys.length + 1);
    expect(edits.waitingRefreshes).toBe(0);
  });

  it('shares the refresh budget across anchors', async () => {
    vi.useFakeTimers();
    const edits = new AnchorEdits(1, () => Date.now());
    const sent: string[] = [];
    const edit = recorder(sent);

    edits.refresh('a', edit('a queued'));
    edits.refresh('b', edit('b queued'));
    edits.refresh('c', edit('c queued'));
    // A newer refresh of b replaces the waiting one and keeps b's place before c.
    edits.refresh('b', edit('b working'));
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual(['a queued']);

    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toEqual(['a queued', 'b working']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toEqual(['a queued', 'b working', 'c queued']);
    edits.close();
  });

  it('drops a refresh not yet running', async () => {
    const edits = new AnchorEdits(10);
    const sent: string[] = [];
    edits.refresh('a', recorder(sent)('a working'));
    // Requested before the refresh ran: the final edit makes it stale.
    await edits.run('a', recorder(sent)('a done'));
    edits.close();

    expect(sent).toEqual(['a done']);
  });

  it('runs one anchor’s edits in order', async () => {
    const edits = new AnchorEdits(10);
    const sent: string[] = [];
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started: () => void = () => undefined;
    const refreshStarted = new Promise<void>((resolve) => {
      started = resolve;
    });

    edits.refresh('a', async () => {
      started();
      await slow;
      sent.push('a working');
    });
    await refreshStarted;
    const done = edits.run('a', recorder(sent)('a done'));
    edits.refresh('a', recorder(sent)('a late refresh'));
    const interrupted = edits.run('a', recorder(sent)('a interrupted'));
    release();
    await Promise.all([done, interrupted]);
    edits.close();

    // The refresh in flight finishes first; the late one was still waiting when a final edit dropped it.
    expect(sent).toEqual(['a working', 'a done', 'a interrupted']);
  });
});

describe('AnchorStatusView', () => {
  const job = {
    command: 'describe',
    images: [{ filename: 'waterview.jpg', url: 'http://127.0.0.1/x' }],
    options: {},
    ids: { job: 'job-1', user: '42' },
  } as unknown as DiscordJob;
  const queueJob = {} as Job;
  const queued = (position: number, estimatedWaitMs: number): JobStatus => ({
    state: 'queued',
    job: queueJob,
    position,
    estimatedWaitMs,
  });

  it('renders only what the user would see change', () => {
    const view = new AnchorStatusView(job);
    const now = 1_000_000;

    expect(view.render(queued(5, 60_000), now)?.content).toContain('Queued: position 5, estimated start <t:');
    // Same position, and the estimated start moved less than the tolerance: nothing to show.
    expect(view.render(queued(5, 60_000 - 2_000), now + 5_000)).toBeUndefined();
    // The position changed: shown, with the estimate the anchor already shows.
    const moved = view.render(queued(4, 50_000), now + 5_000)?.content ?? '';
    expect(moved).toContain('position 4');
    expect(moved).toContain(`<t:${Math.ceil((now + 60_000) / 1000)}:R>`);
    // The estimate moved by more than the tolerance: shown again.
    expect(view.render(queued(4, 55_000 + ESTIMATE_TOLERANCE_MS), now + 5_000)).toBeDefined();
    expect(view.render(queued(1, 0), now)?.content).toContain('position 1, starting soon');
    expect(view.render(queued(1, 0), now)).toBeUndefined();

    const running: JobStatus = { state: 'running', job: queueJob, startedAt: now, progress: undefined };
    expect(view.render(running, now)?.content).toContain('Working…');
    expect(view.render(running, now)).toBeUndefined();
    expect(view.render(undefined, now)).toBeUndefined();
  });
});
