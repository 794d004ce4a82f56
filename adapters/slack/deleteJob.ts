import type { Logger } from '../../src/logging/logger.js';
import type { DeleteJob } from './jobs.js';
import type { SlackContext } from './SlackContext.js';

/** Tells one user something in the channel, visible to them only. */
export async function tellUser(context: SlackContext, job: { target: DeleteJob['target'] }, text: string) {
  await context.client.chat.postEphemeral({
    channel: job.target.channelId,
    user: job.target.userId,
    thread_ts: job.target.threadTs,
    text,
  });
}

async function isWorkspaceAdmin(context: SlackContext, userId: string): Promise<boolean> {
  const result = await context.client.users.info({ user: userId });
  const user = result.user as { is_admin?: boolean; is_owner?: boolean } | undefined;
  return user?.is_admin === true || user?.is_owner === true;
}

/**
 * Deletes generated images and the message with their buttons, for the user who asked for them or a
 * workspace admin (owners included); anyone else is told so privately.
 */
export async function performDelete(context: SlackContext, job: DeleteJob, logger: Logger): Promise<void> {
  const record = await context.generatedImages.find(job.target.channelId, job.messageTs);
  if (record === undefined) {
    await tellUser(
      context,
      job,
      'These buttons have expired, so nothing was deleted. Delete the images from their menu instead.',
    );
    return;
  }

  const allowed =
    job.target.userId === record.requesterId || (await isWorkspaceAdmin(context, job.target.userId));
  if (!allowed) {
    logger.info({ requester: record.requesterId }, 'delete refused: not the requester or an admin');
    await tellUser(
      context,
      job,
      'Only the person who asked for these images, or a workspace admin, can delete them.',
    );
    return;
  }

  for (const fileId of record.fileIds) await context.client.files.delete({ file: fileId });
  await context.client.chat.delete({ channel: job.target.channelId, ts: job.messageTs });
  await context.generatedImages.remove(job.target.channelId, job.messageTs);
  logger.info({ files: record.fileIds.length }, 'generated images deleted');
}
