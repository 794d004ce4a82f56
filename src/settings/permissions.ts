/**
 * Who is asking to read or change a guild's settings, as the adapter learned it from the platform.
 * The adapters fill this in; these checks are pure so both platforms apply the same rule.
 */
export type SettingsActor =
  /** `permissions` is the member's permission bitfield in the guild, as Discord sends it (a decimal string). */
  | { platform: 'discord'; userId: string; permissions: string | bigint }
  /** From Slack's `users.info`: `is_admin` and `is_owner`. */
  | { platform: 'slack'; userId: string; isAdmin: boolean; isOwner: boolean }
  /** The local command line, run by whoever operates the bot. */
  | { platform: 'cli'; userId: string };

// Discord permission bits, from the Discord developer docs (Permissions, "Bitwise Permission Flags").
const ADMINISTRATOR = 1n << 3n;
const MANAGE_GUILD = 1n << 5n;

/**
 * Whether the actor may change settings and read usage: Discord members with Manage Server (or
 * Administrator), Slack workspace admins and owners, and the local operator.
 */
export function canManageSettings(actor: SettingsActor): boolean {
  if (actor.platform === 'cli') return true;
  if (actor.platform === 'slack') return actor.isAdmin || actor.isOwner;

  const bits = parsePermissions(actor.permissions);
  if (bits === undefined) return false;
  return (bits & (ADMINISTRATOR | MANAGE_GUILD)) !== 0n;
}

function parsePermissions(permissions: string | bigint): bigint | undefined {
  if (typeof permissions === 'bigint') return permissions;
  if (!/^\d{1,30}$/.test(permissions)) return undefined;
  return BigInt(permissions);
}
