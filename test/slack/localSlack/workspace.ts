import {
  type Ephemeral,
  type InjectedError,
  type LocalFile,
  type LocalMessage,
  type RateLimit,
  type RecordedCall,
  TimestampClock,
  type WorkspaceIds,
} from './state.js';

export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

type Args = Record<string, unknown>;

export const ok = (body: Record<string, unknown> = {}): ApiAnswer => ({
  status: 200,
  body: { ok: true, ...body },
});
const fail = (error: string, extra: Record<string, unknown> = {}): ApiAnswer => ({
  status: 200,
  body: { ok: false, error, ...extra },
});

/**
 * The workspace state behind the local Web API: channels with messages, files, users, and the calls
 * made. Methods take the arguments as the Web API client sends them (form fields, with objects as
 * JSON text) and answer as Slack does.
 */
export class LocalWorkspace {
  readonly calls: RecordedCall[] = [];
  readonly messages: LocalMessage[] = [];
  readonly files = new Map<string, LocalFile>();
  readonly ephemerals: Ephemeral[] = [];
  readonly injected: InjectedError[] = [];
  readonly rateLimits = new Map<string, RateLimit>();
  /** Users by id; `isAdmin` marks workspace admins, `isOwner` workspace owners. */
  readonly users = new Map<string, { isAdmin: boolean; isOwner?: boolean }>();
  /** Scopes granted to the bot token; without files:read, downloads get the login page. */
  readonly scopes = new Set([
    'app_mentions:read',
    'chat:write',
    'commands',
    'files:read',
    'files:write',
    'im:history',
  ]);
  /** Channels the bot is a member of; posting elsewhere answers not_in_channel. */
  readonly memberOf = new Set<string>();
  private readonly clock = new TimestampClock();
  private fileCounter = 0;

  constructor(
    readonly ids: WorkspaceIds,
    readonly tokens: { bot: string; app: string },
    /** Base URL of the server, for file and upload URLs. */
    private readonly baseUrl: () => string,
  ) {}

  /** The id of the app's direct message channel with a user. */
  directMessageChannel(userId: string): string {
    return `D${userId.slice(1)}`;
  }

  nextTs(): string {
    return this.clock.next();
  }

  /** Adds a file as if a user had uploaded it, and returns the file object events carry. */
  addFile(file: { name: string; mimetype: string; bytes: Buffer; user: string }): Record<string, unknown> {
    this.fileCounter++;
    const id = `F${String(this.fileCounter).padStart(9, '0')}`;
    this.files.set(id, { id, title: file.name, ...file });
    return this.fileObject(id);
  }

  fileObject(id: string): Record<string, unknown> {
    const file = this.files.get(id) as LocalFile;
    const urlPrivate = `${this.baseUrl()}/files-pri/${this.ids.teamId}-${id}/${encodeURIComponent(file.name)}`;
    return {
      id,
      name: file.name,
      title: file.title,
      mimetype: file.mimetype,
      filetype: file.name.split('.').pop(),
      size: file.bytes.length,
      user: file.user,
      url_private: urlPrivate,
      url_private_download: `${urlPrivate}?download=1`,
      ...(file.altText ? { alt_txt: file.altText } : {}),
    };
  }

  /** Stores a message posted by a user, as Slack does before it sends the event. */
  addUserMessage(message: {
    channel: string;
    user: string;
    text: string;
    thread_ts?: string;
    files?: Array<Record<string, unknown>>;
  }): LocalMessage {
    const stored: LocalMessage = { ...message, ts: this.nextTs(), updates: 0, history: [message.text] };
    this.messages.push(stored);
    return stored;
  }

  /** Messages in a channel's thread (the parent first), or top-level messages when `threadTs` is omitted. */
  thread(channel: string, threadTs: string): LocalMessage[] {
    return this.messages
      .filter(
        (message) =>
          message.channel === channel && (message.ts === threadTs || message.thread_ts === threadTs),
      )
      .sort((a, b) => Number(a.ts) - Number(b.ts));
  }

  private takeInjected(method: string): InjectedError | undefined {
    const index = this.injected.findIndex((entry) => entry.method === method && entry.times > 0);
    if (index < 0) return undefined;
    const entry = this.injected[index] as InjectedError;
    entry.times--;
    return entry;
  }

  private rateLimited(method: string, now: number): RateLimit | undefined {
    const limit = this.rateLimits.get(method);
    if (limit === undefined) return undefined;
    const recent = this.calls.filter(
      (call) => call.method === method && call.error === undefined && now - call.at < limit.windowMs,
    );
    return recent.length >= limit.maxCalls ? limit : undefined;
  }

  /** Answers one Web API call, after auth, injected errors and rate limits. */
  call(method: string, args: Args, token: string | undefined): ApiAnswer {
    const now = performance.now();
    const record: RecordedCall = { method, args, token, at: now };
    const answer = this.answer(method, args, token, now);
    if (answer.body.ok === false) record.error = String(answer.body.error);
    this.calls.push(record);
    return answer;
  }

  private answer(method: string, args: Args, token: string | undefined, now: number): ApiAnswer {
    const expected = method === 'apps.connections.open' ? this.tokens.app : this.tokens.bot;
    if (token !== expected) return fail(token === undefined ? 'not_authed' : 'invalid_auth');

    const injected = this.takeInjected(method);
    if (injected?.error === 'ratelimited' || (injected === undefined && this.rateLimited(method, now))) {
      const seconds = injected?.retryAfterSeconds ?? this.rateLimits.get(method)?.retryAfterSeconds ?? 1;
      return {
        status: 429,
        body: { ok: false, error: 'ratelimited' },
        headers: { 'retry-after': String(seconds) },
      };
    }
    if (injected)
      return fail(injected.error, injected.error === 'missing_scope' ? { needed: 'chat:write' } : {});

    const handler = this.methods[method];
    return handler ? handler(args) : fail('unknown_method');
  }

  private postable(channel: unknown): ApiAnswer | undefined {
    if (typeof channel !== 'string' || channel === '') return fail('channel_not_found');
    if (!channel.startsWith('D') && !this.memberOf.has(channel)) return fail('not_in_channel');
    return undefined;
  }

  private readonly methods: Record<string, (args: Args) => ApiAnswer> = {
    'auth.test': () =>
      ok({
        url: 'https://iris-test.slack.com/',
        team: 'Iris Test',
        user: 'iris',
        team_id: this.ids.teamId,
        user_id: this.ids.botUserId,
        bot_id: this.ids.botId,
      }),
    'chat.postMessage': (args) => {
      // A user id as the channel posts into the app's direct message with that user.
      if (typeof args.channel === 'string' && this.users.has(args.channel))
        args.channel = this.directMessageChannel(args.channel);
      const refused = this.postable(args.channel);
      if (refused) return refused;
      const text = String(args.text ?? '');
      if (text.length > 40_000) return fail('msg_too_long');
      const message: LocalMessage = {
        channel: String(args.channel),
        ts: this.nextTs(),
        user: this.ids.botUserId,
        bot_id: this.ids.botId,
        text,
        ...(args.thread_ts ? { thread_ts: String(args.thread_ts) } : {}),
        ...(args.blocks ? { blocks: JSON.parse(String(args.blocks)) } : {}),
        updates: 0,
        history: [text],
      };
      this.messages.push(message);
      return ok({ channel: message.channel, ts: message.ts, message: { text, ts: message.ts } });
    },
    'chat.update': (args) => {
      const refused = this.postable(args.channel);
      if (refused) return refused;
      const message = this.messages.find((entry) => entry.channel === args.channel && entry.ts === args.ts);
      if (message === undefined) return fail('message_not_found');
      const text = String(args.text ?? '');
      if (text.length > 40_000) return fail('msg_too_long');
      message.text = text;
      message.updates++;
      message.history.push(text);
      if (args.blocks) message.blocks = JSON.parse(String(args.blocks));
      return ok({ channel: message.channel, ts: message.ts, text });
    },
    'chat.delete': (args) => {
      const index = this.messages.findIndex(
        (entry) => entry.channel === args.channel && entry.ts === args.ts,
      );
      if (index < 0) return fail('message_not_found');
      this.messages.splice(index, 1);
      return ok({ channel: args.channel, ts: args.ts });
    },
    'chat.postEphemeral': (args) => {
      const refused = this.postable(args.channel);
      if (refused) return refused;
      this.ephemerals.push({
        channel: String(args.channel),
        user: String(args.user),
        text: String(args.text ?? ''),
      });
      return ok({ message_ts: this.nextTs() });
    },
    'conversations.replies': (args) => {
      const messages = this.thread(String(args.channel), String(args.ts));
      if (messages.length === 0) return fail('thread_not_found');
      return ok({
        messages: messages.map(({ updates: _updates, history: _history, ...message }) => message),
        has_more: false,
      });
    },
    'users.info': (args) => {
      const user = this.users.get(String(args.user));
      if (user === undefined) return fail('user_not_found');
      return ok({ user: { id: args.user, is_admin: user.isAdmin, is_owner: user.isOwner === true } });
    },
    'files.info': (args) =>
      this.files.has(String(args.file))
        ? ok({ file: this.fileObject(String(args.file)) })
        : fail('file_not_found'),
    'files.delete': (args) => {
      const id = String(args.file);
      if (!this.files.delete(id)) return fail('file_not_found');
      for (let index = this.messages.length - 1; index >= 0; index--) {
        const message = this.messages[index] as LocalMessage;
        if (message.files?.some((file) => file.id === id)) this.messages.splice(index, 1);
      }
      return ok();
    },
    'files.getUploadURLExternal': (args) => {
      const length = Number(args.length);
      if (!args.filename || !Number.isInteger(length) || length <= 0) return fail('invalid_arguments');
      const file = this.addFile({
        name: String(args.filename),
        mimetype: '',
        bytes: Buffer.alloc(0),
        user: this.ids.botUserId,
      });
      const stored = this.files.get(String(file.id)) as LocalFile;
      if (args.alt_text) stored.altText = String(args.alt_text);
      return ok({ upload_url: `${this.baseUrl()}/upload/${file.id}`, file_id: file.id });
    },
    'files.completeUploadExternal': (args) => {
      const entries = JSON.parse(String(args.files ?? '[]')) as Array<{ id: string; title?: string }>;
      if (entries.some((entry) => (this.files.get(entry.id)?.bytes.length ?? 0) === 0))
        return fail('file_not_found');
      for (const entry of entries)
        if (entry.title) (this.files.get(entry.id) as LocalFile).title = entry.title;
      if (args.channel_id) {
        const refused = this.postable(args.channel_id);
        if (refused) return refused;
        const text = String(args.initial_comment ?? '');
        this.messages.push({
          channel: String(args.channel_id),
          ts: this.nextTs(),
          user: this.ids.botUserId,
          bot_id: this.ids.botId,
          text,
          ...(args.thread_ts ? { thread_ts: String(args.thread_ts) } : {}),
          files: entries.map((entry) => this.fileObject(entry.id)),
          updates: 0,
          history: [text],
        });
      }
      return ok({
        files: entries.map((entry) => ({ id: entry.id, title: this.files.get(entry.id)?.title })),
      });
    },
  };

  /** Adds or replaces a Web API method. */
  define(method: string, handler: (args: Args) => ApiAnswer): void {
    this.methods[method] = handler;
  }

  /** Stores the bytes posted to an upload URL; returns false for an unknown file id. */
  receiveUpload(fileId: string, bytes: Buffer, mimetype: string): boolean {
    const file = this.files.get(fileId);
    if (file === undefined) return false;
    file.bytes = bytes;
    file.mimetype = mimetype;
    return true;
  }
}
