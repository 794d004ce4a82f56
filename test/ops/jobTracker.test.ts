import { describe, expect, it } from 'vitest';
import { JobTracker } from '../../src/lifecycle/JobTracker.js';

const waitForAbort = (signal: AbortSignal) =>
  new Promise<string>((resolve) =>
    signal.addEventListener('abort', () => resolve('aborted'), { once: true }),
  );

describe('JobTracker', () => {
  it('returns the job result and forgets the job', async () => {
    const jobs = new JobTracker();
    await expect(jobs.run(async () => 42)).resolves.toBe(42);
    expect(jobs.size).toBe(0);
  });

  it('passes a job failure to the caller', async () => {
    const jobs = new JobTracker();
    await expect(
      jobs.run(async () => {
        throw new Error('model failed');
      }),
    ).rejects.toThrow('model failed');
    expect(jobs.size).toBe(0);
  });

  it('drains jobs that end within the grace period', async () => {
    const jobs = new JobTracker();
    let release = () => {};
    const job = jobs.run(() => new Promise<void>((resolve) => (release = resolve)));
    const drained = jobs.drain(10_000);
    expect(jobs.closed).toBe(true);
    release();
    await job;
    await expect(drained).resolves.toEqual({ finished: 1, aborted: 0 });
  });

  it('aborts jobs still running after the grace period', async () => {
    const jobs = new JobTracker();
    const job = jobs.run(waitForAbort);
    await expect(jobs.drain(20)).resolves.toEqual({ finished: 0, aborted: 1 });
    await expect(job).resolves.toBe('aborted');
  });

  it('stops waiting for a job that ignores the abort', async () => {
    const jobs = new JobTracker();
    jobs.run(() => new Promise(() => {}));
    await expect(jobs.drain(10, 20)).resolves.toEqual({ finished: 0, aborted: 1 });
  });
});
