import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { formatUsd, JsonObject, TokenPrices } from '@switchyard/common';
import { ModelWithDeployments, PriceStrings } from '@switchyard/catalog';

const USD = /^\d{1,12}(\.\d{1,9})?$/;
const USD_MESSAGE = 'must be a decimal string of USD per 1M tokens, such as "2.50"';

export class PricesBody implements PriceStrings {
  @ApiProperty({ example: '2.50' })
  @IsString()
  @Matches(USD, { message: `input ${USD_MESSAGE}` })
  input!: string;
  @ApiPropertyOptional({ example: '1.25', description: 'Defaults to input' })
  @IsOptional()
  @IsString()
  @Matches(USD, { message: `cached_input ${USD_MESSAGE}` })
  cached_input?: string;
  @ApiPropertyOptional({ example: '3.125', description: 'Defaults to input' })
  @IsOptional()
  @IsString()
  @Matches(USD, { message: `cache_write ${USD_MESSAGE}` })
  cache_write?: string;
  @ApiProperty({ example: '10.00' })
  @IsString()
  @Matches(USD, { message: `output ${USD_MESSAGE}` })
  output!: string;
}

export class DeploymentBody {
  @ApiProperty() @IsUUID() provider_id!: string;
  @ApiProperty({ example: 'gpt-4o-2024-08-06' }) @IsString() @Length(1, 200) upstream_model!: string;
  @ApiPropertyOptional({ default: 0, description: 'Lower is tried first' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  priority?: number;
  @ApiPropertyOptional({ default: 1, description: 'Share of traffic within a priority' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  weight?: number;
  @ApiPropertyOptional({
    type: PricesBody,
    description: "What this upstream charges; defaults to the model's costs",
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => PricesBody)
  costs?: PricesBody;
}

export class CreateModelBody {
  @ApiProperty({ example: 'gpt-4o' })
  @IsString()
  @Length(1, 200)
  @Matches(/^[A-Za-z0-9._:/@-]+$/, { message: 'name may contain letters, digits and . _ : / @ -' })
  name!: string;

  @ApiPropertyOptional({ type: [String], example: ['gpt4o'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  aliases?: string[];

  @ApiProperty({ type: [DeploymentBody] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => DeploymentBody)
  deployments!: DeploymentBody[];

  @ApiProperty({ type: PricesBody, description: 'Sell prices, USD per 1M tokens' })
  @ValidateNested()
  @Type(() => PricesBody)
  prices!: PricesBody;

  @ApiPropertyOptional({
    type: PricesBody,
    description: 'Upstream costs, USD per 1M tokens; default to the prices',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => PricesBody)
  costs?: PricesBody;

  @ApiPropertyOptional({ example: 128000 }) @IsOptional() @IsInt() @Min(1) context_window?: number;
  @ApiPropertyOptional({ example: { tools: true, vision: true } })
  @IsOptional()
  @IsObject()
  capabilities?: JsonObject;
  @ApiPropertyOptional({ example: 'openai' }) @IsOptional() @IsString() @Length(1, 100) owned_by?: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['logprobs', 'parallel_tool_calls'],
    description:
      'Request parameters the gateway may leave out when the chosen upstream cannot honour them, instead of answering 400 ' +
      '(wire names as in "unsupported parameter X for upstream kind Y"; see docs/compatibility.md)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Matches(/^[A-Za-z0-9_.]{1,64}$/, {
    each: true,
    message: 'each droppable_params entry must be a parameter name such as "logprobs"',
  })
  droppable_params?: string[];
}

export class PricesView {
  @ApiProperty({ example: '2.50' }) input!: string;
  @ApiProperty({ example: '1.25' }) cached_input!: string;
  @ApiProperty({ example: '2.50' }) cache_write!: string;
  @ApiProperty({ example: '10.00' }) output!: string;
}

export class ModelView {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'model' }) object!: 'model';
  @ApiProperty() name!: string;
  @ApiProperty({ type: [String] }) aliases!: string[];
  @ApiProperty({ enum: ['active', 'disabled'] }) status!: string;
  @ApiProperty({ nullable: true, type: Number }) context_window!: number | null;
  @ApiProperty() capabilities!: JsonObject;
  @ApiProperty({ nullable: true, type: String }) owned_by!: string | null;
  @ApiProperty({ type: [String] }) droppable_params!: string[];
  @ApiProperty({ type: PricesView }) prices!: PricesView;
  @ApiProperty() deployments!: Array<{
    id: string;
    provider_id: string;
    upstream_model: string;
    priority: number;
    weight: number;
    status: string;
    costs: PricesView;
  }>;
  @ApiProperty() created_at!: string;
}

export function pricesView(prices: TokenPrices): PricesView {
  return {
    input: formatUsd(prices.input),
    cached_input: formatUsd(prices.cachedInput),
    cache_write: formatUsd(prices.cacheWrite),
    output: formatUsd(prices.output),
  };
}

export function modelView({ model, deployments }: ModelWithDeployments): ModelView {
  return {
    id: model.id,
    object: 'model',
    name: model.name,
    aliases: model.aliases,
    status: model.status,
    context_window: model.contextWindow,
    capabilities: model.capabilities,
    owned_by: model.ownedBy,
    droppable_params: model.droppableParams,
    prices: pricesView({
      input: model.inputPrice,
      cachedInput: model.cachedInputPrice,
      cacheWrite: model.cacheWritePrice,
      output: model.outputPrice,
    }),
    deployments: deployments.map((deployment) => ({
      id: deployment.id,
      provider_id: deployment.providerId,
      upstream_model: deployment.upstreamModel,
      priority: deployment.priority,
      weight: deployment.weight,
      status: deployment.status,
      costs: pricesView({
        input: deployment.inputCost,
        cachedInput: deployment.cachedInputCost,
        cacheWrite: deployment.cacheWriteCost,
        output: deployment.outputCost,
      }),
    })),
    created_at: model.createdAt.toISOString(),
  };
}

/** PATCH /models/{id}: every field optional; deployments are changed through their own routes. */
export class UpdateModelBody extends PartialType(
  OmitType(CreateModelBody, ['deployments', 'costs'] as const),
) {
  @ApiPropertyOptional({ description: 'Listed in /v1/models and /v1/catalog' })
  @IsOptional()
  @IsBoolean()
  public?: boolean;

  @ApiPropertyOptional({
    enum: ['active', 'disabled'],
    description: 'A disabled model answers 404 at the gateway',
  })
  @IsOptional()
  @IsIn(['active', 'disabled'])
  status?: 'active' | 'disabled';
}

export class UpdateDeploymentBody extends PartialType(OmitType(DeploymentBody, ['provider_id'] as const)) {
  @ApiPropertyOptional({
    enum: ['active', 'disabled'],
    description: 'A disabled deployment receives no traffic',
  })
  @IsOptional()
  @IsIn(['active', 'disabled'])
  status?: 'active' | 'disabled';
}
