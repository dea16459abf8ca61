import { createHash } from 'node:crypto';
import { CairnError } from '../../core/errors.js';
import {
  extraColumns,
  readCount,
  readFlag,
  readId,
  readInteger,
  readJsonText,
  readText,
  readTime,
  type Values,
} from './values.js';

/** Columns of the seed's `chat_messages` table (0002 plus the 0007 additions). */
export const CHAT_MESSAGE_COLUMNS = [
  'id',
  'event_id',
  'session_id',
  'message_id',
  'sequence',
  'role',
  'content',
  'platform',
  'user_id',
  'username',
  'chat_id',
  'visibility',
  'is_archived',
  'is_pinned',
  'input_tokens',
  'output_tokens',
  'cached_tokens',
  'reasoning_tokens',
  'model',
  'metadata',
  'timestamp',
  'created_at',
  'updated_at',
] as const;

const KNOWN = new Set<string>(CHAT_MESSAGE_COLUMNS);

/** The Cairn event id of a chat_messages row: stable across re-imports of the same row. */
export const messageEventId = (id: string) => `chat_messages:${id}`;

/**
 * One `chat_messages` row → one Cairn `message` event (a wire event for engine.ingest).
 *
 * - `revision` is the row's `updated_at` (0 when unset): the seed bumps it whenever a message is
 *   archived, pinned or edited, so a re-sent changed row replaces the stored one and an
 *   unchanged re-send is a duplicate.
 * - `platform` and `user_id`, when missing, come from a `platform:user` session_id, as the seed's
 *   0007 backfill derives them.
 * - A missing `message_id` is derived from the row id (the seed backfills a random one, which
 *   would make every re-import differ).
 * - `visibility` defaults to 'private' and the flags to 0, the seed's column defaults.
 */
export function messageToEvent(values: Values, workspace: string): Record<string, unknown> {
  const id = readId(values, 'id');
  const timestamp = readTime(values, 'timestamp');
  if (timestamp === null) throw new CairnError('missing_field', 'timestamp: required');
  const role = readText(values, 'role');
  if (role === null) throw new CairnError('missing_field', 'role: required');
  const session = readText(values, 'session_id');
  const derived = fromSession(session);
  const updatedAt = readTime(values, 'updated_at');
  return {
    id: messageEventId(id),
    type: 'message',
    timestamp,
    revision: updatedAt ?? 0,
    workspace,
    session_id: session,
    platform: readText(values, 'platform') ?? derived.platform,
    user_id: readText(values, 'user_id') ?? derived.user,
    trace_id: readText(values, 'event_id'),
    model: readText(values, 'model'),
    usage: {
      input_tokens: readCount(values, 'input_tokens'),
      output_tokens: readCount(values, 'output_tokens'),
      cache_read_tokens: readCount(values, 'cached_tokens'),
      reasoning_tokens: readCount(values, 'reasoning_tokens'),
    },
    message: {
      role,
      content: readText(values, 'content'),
      message_id: readText(values, 'message_id') ?? derivedMessageId(id),
      visibility: readText(values, 'visibility') ?? 'private',
      archived: readFlag(values, 'is_archived'),
      pinned: readFlag(values, 'is_pinned'),
      row_id: values['id'],
      sequence: readInteger(values, 'sequence'),
      username: readText(values, 'username'),
      chat_id: readText(values, 'chat_id'),
      metadata: readJsonText(values, 'metadata'),
      created_at: readTime(values, 'created_at'),
      updated_at: updatedAt,
    },
    ...withAttributes(extraColumns(values, KNOWN)),
  };
}

/** "telegram:12345" → platform telegram, user 12345; anything without a colon gives neither. */
function fromSession(session: string | null): { platform: string | null; user: string | null } {
  const colon = session?.indexOf(':') ?? -1;
  if (session === null || colon <= 0 || colon === session.length - 1)
    return { platform: null, user: null };
  return { platform: session.slice(0, colon), user: session.slice(colon + 1) };
}

/** 32 hex digits, like the seed's lower(hex(randomblob(16))), but the same on every import. */
function derivedMessageId(id: string): string {
  return createHash('sha256').update(`chat_messages:${id}`).digest('hex').slice(0, 32);
}

export function withAttributes(extra: Record<string, unknown> | null): {
  attributes?: Record<string, unknown>;
} {
  return extra ? { attributes: extra } : {};
}
