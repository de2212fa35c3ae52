import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { Page } from '@switchyard/database';

export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'The next_cursor of the previous page' })
  @IsOptional()
  @IsString()
  cursor?: string;
}

/** The list envelope every admin list returns. */
export interface ListView<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  next_cursor: string | null;
}

export function listView<E, T>(page: Page<E>, view: (entity: E) => T): ListView<T> {
  return { object: 'list', data: page.data.map(view), has_more: page.hasMore, next_cursor: page.nextCursor };
}

export function allView<T>(data: T[]): ListView<T> {
  return { object: 'list', data, has_more: false, next_cursor: null };
}
