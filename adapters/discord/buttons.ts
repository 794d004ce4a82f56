import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  ButtonStyle,
  ComponentType,
} from 'discord-api-types/v10';
import type { ImagineOptions } from '../../commands/imagine/options.js';

export const buttonActions = ['reroll', 'vary', 'describe', 'delete'] as const;
export type ButtonAction = (typeof buttonActions)[number];

/**
 * What an `/imagine` result button carries in its custom id (Discord allows 100 characters), so it
 * works after a restart without a store. The prompt is too long for it and is read back from the
 * image's alt text; the negative prompt from the message.
 */
export interface ButtonData {
  action: ButtonAction;
  requesterId: string;
  size: ImagineOptions['size'];
  steps: number;
  guidance: number;
  count: number;
}

const PREFIX = 'iris1';

export function encodeButton(data: ButtonData): string {
  return [PREFIX, data.action, data.requesterId, data.size, data.steps, data.guidance, data.count].join(':');
}

/** Reads a custom id written by encodeButton; undefined for anything else. */
export function decodeButton(customId: string): ButtonData | undefined {
  const [prefix, action, requesterId, size, steps, guidance, count] = customId.split(':');
  if (prefix !== PREFIX || !(buttonActions as readonly string[]).includes(action ?? '')) return undefined;
  if (!requesterId || !size) return undefined;
  return {
    action: action as ButtonAction,
    requesterId,
    size: size as ImagineOptions['size'],
    steps: Number(steps),
    guidance: Number(guidance),
    count: Number(count),
  };
}

const labels: Record<ButtonAction, string> = {
  reroll: 'Re-roll',
  vary: 'Variations',
  describe: 'Describe',
  delete: 'Delete',
};

/** The row of buttons under an `/imagine` result. */
export function resultButtons(
  options: ImagineOptions,
  requesterId: string,
): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  const base = {
    requesterId,
    size: options.size,
    steps: options.steps,
    guidance: options.guidance,
    count: options.count,
  };
  return [
    {
      type: ComponentType.ActionRow,
      components: buttonActions.map((action) => ({
        type: ComponentType.Button,
        style: action === 'delete' ? ButtonStyle.Danger : ButtonStyle.Secondary,
        label: labels[action],
        custom_id: encodeButton({ ...base, action }),
      })),
    },
  ];
}
