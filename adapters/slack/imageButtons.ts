/** Action ids of the buttons under generated images. */
export const imageActions = {
  reroll: 'iris_image_reroll',
  variations: 'iris_image_variations',
  describe: 'iris_image_describe',
  delete: 'iris_image_delete',
} as const;

/** Images a Variations click generates: the most one request may ask for. */
export const VARIATIONS_COUNT = 4;

function button(actionId: string, label: string, style?: 'danger') {
  return {
    type: 'button' as const,
    action_id: actionId,
    text: { type: 'plain_text' as const, text: label },
    value: actionId,
    ...(style ? { style } : {}),
  };
}

/** The blocks of the message under generated images: a summary and the four buttons. */
export function imageButtonBlocks(summary: string) {
  return [
    { type: 'section' as const, text: { type: 'mrkdwn' as const, text: summary } },
    {
      type: 'actions' as const,
      block_id: 'iris_image_actions',
      elements: [
        button(imageActions.reroll, 'Re-roll'),
        button(imageActions.variations, 'Variations'),
        button(imageActions.describe, 'Describe'),
        button(imageActions.delete, 'Delete', 'danger'),
      ],
    },
  ];
}
