import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  ButtonStyle,
  ComponentType,
} from 'discord-api-types/v10';

/** The buttons an anchor message carries: Cancel while the job waits or runs, Retry once it was interrupted. */
export type QueueButtonAction = 'cancel' | 'retry';

export interface QueueButtonData {
  action: QueueButtonAction;
  jobId: string;
  requesterId: string;
}

// Custom ids are `iris-q:<action>:<job id>:<requester id>`: about 80 of Discord's 100 characters.
const PREFIX = 'iris-q';

export function encodeQueueButton(data: QueueButtonData): string {
  return [PREFIX, data.action, data.jobId, data.requesterId].join(':');
}

/** Reads a custom id written by encodeQueueButton; undefined for anything else. */
export function decodeQueueButton(customId: string): QueueButtonData | undefined {
  const [prefix, action, jobId, requesterId] = customId.split(':');
  if (prefix !== PREFIX || (action !== 'cancel' && action !== 'retry')) return undefined;
  if (!jobId || !requesterId) return undefined;
  return { action, jobId, requesterId };
}

/** One row with the Cancel or the Retry button of a job. */
export function queueButtonRow(
  data: QueueButtonData,
): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.Button,
          style: data.action === 'cancel' ? ButtonStyle.Secondary : ButtonStyle.Primary,
          label: data.action === 'cancel' ? 'Cancel' : 'Retry',
          custom_id: encodeQueueButton(data),
        },
      ],
    },
  ];
}
