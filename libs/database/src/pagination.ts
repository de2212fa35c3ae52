import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { DomainError } from '@switchyard/common';

export interface PageRequest {
  limit?: number;
  cursor?: string;
}

export interface Page<T> {
  data: T[];
  hasMore: boolean;
  nextCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

interface CursorPosition {
  createdAt: string;
  id: string;
}

function decodeCursor(cursor: string): CursorPosition {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [
      unknown,
      unknown,
    ];
    if (typeof createdAt === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(createdAt)))
      return { createdAt, id };
  } catch {
    // fall through to the typed error below
  }
  throw new DomainError('validation', 'cursor is not a cursor this API returned', { cursor: 'invalid' });
}

const encodeCursor = (createdAt: Date, id: string): string =>
  Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');

/**
 * Keyset pagination, newest first, over `(created_at, id)` (or another time column) of the
 * query's main alias. Stable under concurrent inserts, unlike offsets. Needs an index on
 * (…, time column, id).
 */
export function paginate<T extends ObjectLiteral & { id: string; createdAt: Date }>(
  query: SelectQueryBuilder<T>,
  page: PageRequest,
): Promise<Page<T>> {
  return paginateBy(query, page, { column: 'created_at', time: (row) => row.createdAt });
}

/** `paginate` over another time column, e.g. `started_at` of usage events. */
export async function paginateBy<T extends ObjectLiteral & { id: string }>(
  query: SelectQueryBuilder<T>,
  page: PageRequest,
  order: { column: string; time: (row: T) => Date },
): Promise<Page<T>> {
  const alias = query.alias;
  const limit = Math.min(Math.max(page.limit ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
  if (page.cursor) {
    const position = decodeCursor(page.cursor);
    query.andWhere(`(${alias}.${order.column}, ${alias}.id) < (:cursorTime, :cursorId)`, {
      cursorTime: position.createdAt,
      cursorId: position.id,
    });
  }
  const rows = await query
    .orderBy(`${alias}.${order.column}`, 'DESC')
    .addOrderBy(`${alias}.id`, 'DESC')
    .take(limit + 1)
    .getMany();
  const hasMore = rows.length > limit;
  const data = hasMore ? rows.slice(0, limit) : rows;
  const last = data[data.length - 1];
  return { data, hasMore, nextCursor: hasMore && last ? encodeCursor(order.time(last), last.id) : null };
}
