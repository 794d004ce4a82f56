import { describe, expect, it } from 'vitest';
import type { JobStatus } from '../../src/queue/JobStatus.js';
import { createJob } from '../../src/queue/job.js';
import { createStores } from '../../src/store/createStores.js';
import { captureLogger, uniquePrefix } from './helpers.js';
import { controlledHandler, createQueue, imagineRequest, until } from './jobFixtures.js';

function memoryStores() {
  const { logger } = captureLogger();
  return {
    logger,
    stores: createStores({ url: 'memory', keyPrefix: uniquePrefix('queue'), timeoutMs: 1_000, logger }),
  };
}

const noResume = async () => 'interrupted' as const;

describe('job queue fairness', () => {
  it('starts a quiet guild in turn while another floods', async () => {
    const { logger, stores } = memoryStores();
    const jobDurationMs = 50;
    const startOrder: string[] = [];
    const queue = createQueue(stores, logger, {
      run: async (job) => {
        startOrder.push(job.guildId);
        await new Promise((resolve) => setTimeout(resolve, jobDurationMs));
      },
      resume: noResume,
    });

    // The flooding guild queues 10 jobs from 10 users before the quiet guild requests 2.
    for (let index = 0; index < 10; index++)
      await queue.enqueue(createJob(imagineRequest('flood', `f${index}`)));
    const quietQueuedAt = Date.now();
    const quietJobs = [createJob(imagineRequest('quiet', 'q1')), createJob(imagineRequest('quiet', 'q2'))];
    const quietStarts: number[] = [];
    for (const job of quietJobs) {
      queue.observe(
        job.id,
        (status) => {
          if (status.state === 'running') quietStarts.push(Date.now() - quietQueuedAt);
        },
        0,
      );
      const status = await queue.enqueue(job);
      expect(status.state).toBe('queued');
    }
    expect(queue.status(quietJobs[0]?.id ?? '')).toMatchObject({ state: 'queued', position: 1 });
    expect(queue.status(quietJobs[1]?.id ?? '')).toMatchObject({ state: 'queued', position: 3 });

    await queue.idle();
    // Round robin: flood, quiet, flood, quiet, then the rest of the flood.
    expect(startOrder.slice(0, 5)).toEqual(['flood', 'quiet', 'flood', 'quiet', 'flood']);
    const fifoWaitMs = 10 * jobDurationMs;
    console.info(
      `[measure] quiet guild waited ${quietStarts.join(' ms and ')} ms for its 2 jobs (job ${jobDurationMs} ms, concurrency 1, 10 flood jobs ahead; first-come order would be about ${fifoWaitMs} ms)`,
    );
  });

  it('never runs two jobs of one user at once', async () => {
    const { logger, stores } = memoryStores();
    const handler = controlledHandler();
    const queue = createQueue(
      stores,
      logger,
      { run: handler.run, resume: noResume },
      { ollama: 1, huggingface: 2 },
    );

    const first = createJob(imagineRequest('g1', 'u1'));
    const second = createJob(imagineRequest('g1', 'u1'));
    const other = createJob(imagineRequest('g1', 'u2'));
    await queue.enqueue(first);
    await queue.enqueue(second);
    await queue.enqueue(other);

    await until(() => handler.started.length === 2);
    expect(handler.started.map((job) => job.id)).toEqual([first.id, other.id]);
    expect(queue.status(second.id)?.state).toBe('queued');

    handler.finish(first.id);
    await until(() => handler.started.length === 3);
    expect(handler.started[2]?.id).toBe(second.id);
    handler.finish(second.id);
    handler.finish(other.id);
    await queue.idle();
  });

  it('reports position and estimated wait as jobs move', async () => {
    const { logger, stores } = memoryStores();
    const handler = controlledHandler();
    const queue = createQueue(stores, logger, { run: handler.run, resume: noResume });

    const jobs = [1, 2, 3].map((index) => createJob(imagineRequest('g1', `u${index}`)));
    for (const job of jobs) await queue.enqueue(job);
    const last = jobs[2]?.id ?? '';
    const seen: JobStatus[] = [];
    queue.observe(last, (status) => seen.push(status), 0);

    expect(queue.status(last)).toMatchObject({ state: 'queued', position: 2, estimatedWaitMs: 4_000 });
    handler.finish(jobs[0]?.id ?? '');
    await until(() => seen.some((status) => status.state === 'queued' && status.position === 1));
    handler.finish(jobs[1]?.id ?? '');
    await until(() => seen.some((status) => status.state === 'running'));
    handler.finish(last);
    await queue.idle();

    expect(seen.map((status) => status.state)).toEqual(['queued', 'running', 'finished']);
  });
});

describe('job cancel', () => {
  it('removes a queued job for its requester only', async () => {
    const { logger, stores } = memoryStores();
    const handler = controlledHandler();
    const queue = createQueue(stores, logger, { run: handler.run, resume: noResume });
    const running = createJob(imagineRequest('g1', 'u1'));
    const waiting = createJob(imagineRequest('g1', 'u2'));
    await queue.enqueue(running);
    await queue.enqueue(waiting);
    const states: string[] = [];
    queue.observe(waiting.id, (status) => states.push(status.state), 0);

    expect(await queue.cancel(waiting.id, 'u1')).toEqual({ ok: false, reason: 'not-requester' });
    expect(await queue.cancel(waiting.id, 'u2')).toEqual({ ok: true, wasRunning: false });
    expect(await queue.cancel(waiting.id, 'u2')).toEqual({ ok: false, reason: 'not-found' });
    expect(states).toEqual(['cancelled']);
    expect(queue.status(waiting.id)).toBeUndefined();
    expect(await stores.namespaces.jobs.get(`job:${waiting.id}`)).toBeUndefined();

    handler.finish(running.id);
    await queue.idle();
    expect(handler.started.map((job) => job.id)).toEqual([running.id]);
  });

  it('aborts a running job and ends it as cancelled', async () => {
    const { logger, stores } = memoryStores();
    const handler = controlledHandler();
    const queue = createQueue(stores, logger, { run: handler.run, resume: noResume });
    const job = createJob(imagineRequest('g1', 'u1'));
    await queue.enqueue(job);
    const states: string[] = [];
    queue.observe(job.id, (status) => states.push(status.state), 0);
    await until(() => handler.started.length === 1);

    expect(await queue.cancel(job.id, 'u1')).toEqual({ ok: true, wasRunning: true });
    await queue.idle();
    expect(handler.signals.get(job.id)?.aborted).toBe(true);
    expect(states).toEqual(['cancelled']);
    expect(await stores.namespaces.jobs.get(`job:${job.id}`)).toBeUndefined();
  });
});

describe('queue restart', () => {
  it('hands every stored job to the resume handler', async () => {
    const { logger, stores } = memoryStores();
    const before = controlledHandler();
    const first = createQueue(stores, logger, { run: before.run, resume: noResume });
    const jobs = [1, 2, 3, 4].map((index) =>
      createJob(imagineRequest(index % 2 === 0 ? 'g1' : 'g2', `u${index}`)),
    );
    for (const job of jobs) await first.enqueue(job);
    await until(() => before.started.length === 1);
    // The process "dies": it stops scheduling and never finishes its running job.
    first.close();

    const after = controlledHandler();
    const resumed: { id: string; wasRunning: boolean }[] = [];
    const second = createQueue(stores, logger, {
      run: after.run,
      resume: async (job, { wasRunning }) => {
        resumed.push({ id: job.id, wasRunning });
        // The fourth job's interaction has expired: the adapter edits its anchor and gives it up.
        return job.id === jobs[3]?.id ? 'interrupted' : 'requeue';
      },
    });
    const report = await second.restore();

    expect(resumed).toEqual(jobs.map((job, index) => ({ id: job.id, wasRunning: index === 0 })));
    expect(report.requeued.map((job) => job.id)).toEqual(jobs.slice(0, 3).map((job) => job.id));
    expect(report.interrupted.map((job) => job.id)).toEqual([jobs[3]?.id]);
    expect(report.kept).toEqual([]);

    for (let index = 0; index < 3; index++) {
      await until(() => after.started.length === index + 1);
      after.finish(after.started[index]?.id ?? '');
    }
    await second.idle();
    expect(after.started.map((job) => job.id).sort()).toEqual(
      jobs
        .slice(0, 3)
        .map((job) => job.id)
        .sort(),
    );
    expect(await stores.namespaces.jobs.get('index:test-host')).toEqual([]);
  });

  it('keeps jobs of a platform with no handlers', async () => {
    const { logger, stores } = memoryStores();
    const first = createQueue(stores, logger, { run: controlledHandler().run, resume: noResume });
    first.close();
    const job = createJob(imagineRequest('g1', 'u1'));
    await first.enqueue(job);

    const { JobQueue } = await import('../../src/queue/JobQueue.js');
    const { JobStore } = await import('../../src/queue/JobStore.js');
    const bare = new JobQueue({
      store: new JobStore(stores.namespaces.jobs, 'test-host', logger),
      logger,
      concurrency: { ollama: 1, huggingface: 1 },
    });
    const report = await bare.restore();
    expect(report.kept.map((kept) => kept.id)).toEqual([job.id]);
    expect(await stores.namespaces.jobs.get(`job:${job.id}`)).toMatchObject({ id: job.id });
  });
});
