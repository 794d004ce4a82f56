const WORDS = ['A', 'pier', 'runs', 'into', 'a', 'calm', 'lake', 'under', 'pale', 'sky', 'and', 'hills'];

/** The model's answer as `count` tokens of one short word each: about 5 characters per token. */
export function benchAnswerTokens(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${WORDS[index % WORDS.length]} `);
}
