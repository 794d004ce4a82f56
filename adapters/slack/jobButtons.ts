/** Action ids of the buttons on queue status messages. */
export const jobActions = {
  cancel: 'iris_job_cancel',
  retry: 'iris_job_retry',
} as const;

/** A section with the text and one button whose value is `value` (a job id). */
export function oneButtonBlocks(
  text: string,
  button: { actionId: string; label: string; value: string; style?: 'danger' | 'primary' },
) {
  return [
    { type: 'section' as const, text: { type: 'mrkdwn' as const, text } },
    {
      type: 'actions' as const,
      block_id: 'iris_job_actions',
      elements: [
        {
          type: 'button' as const,
          action_id: button.actionId,
          text: { type: 'plain_text' as const, text: button.label },
          value: button.value,
          ...(button.style ? { style: button.style } : {}),
        },
      ],
    },
  ];
}
