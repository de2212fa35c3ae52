import { applyDecorators, Type as ClassType } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
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

/** Documents a list endpoint's envelope with its item type, so OpenAPI shows real examples. */
export function ApiList(view: ClassType<unknown>): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(view),
    ApiOkResponse({
      description: 'A page of results, newest first; pass next_cursor as cursor for the next page',
      schema: {
        type: 'object',
        properties: {
          object: { type: 'string', example: 'list' },
          data: { type: 'array', items: { $ref: getSchemaPath(view) } },
          has_more: { type: 'boolean', example: false },
          next_cursor: { type: 'string', nullable: true, example: null },
        },
      },
    }),
  );
}
