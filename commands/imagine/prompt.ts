/**
 * Adds OpenJourney's trigger phrase to a prompt unless the prompt already has it. The model was
 * fine-tuned on captions that carry this phrase; without it the output drifts back to plain SD 1.5.
 * An empty trigger (IMAGINE_TRIGGER='') turns this off.
 */
export function withTrigger(prompt: string, trigger: string): string {
  const phrase = trigger.trim();
  if (phrase === '' || prompt.toLowerCase().includes(phrase.toLowerCase())) return prompt;
  return `${prompt}, ${phrase}`;
}
