/**
 * The Keyv namespaces Iris uses. Each gets its own Keyv instance, so a key in one can never collide
 * with a key in another, and none of them is ever cleared as a whole: the store may be shared.
 */
export const storeNamespaces = ['limits', 'settings', 'jobs', 'conversations', 'dedupe'] as const;

export type StoreNamespace = (typeof storeNamespaces)[number];
