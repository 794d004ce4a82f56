/** What `/describe` can be asked to do with an image. */
export const describeModes = ['caption', 'detailed', 'objects', 'text', 'code', 'diagram'] as const;

export type DescribeMode = (typeof describeModes)[number];

export const defaultDescribeMode: DescribeMode = 'detailed';

/** Labels shown to users in option pickers, by mode. */
export const describeModeLabels: Record<DescribeMode, string> = {
  caption: 'Caption (one sentence)',
  detailed: 'Detailed description',
  objects: 'Objects and where they are',
  text: 'Extract text',
  code: 'Extract code',
  diagram: 'Read a diagram or chart',
};

export function isDescribeMode(value: string): value is DescribeMode {
  return (describeModes as readonly string[]).includes(value);
}
