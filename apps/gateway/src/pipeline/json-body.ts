import { isJsonObject, JsonObject } from '@switchyard/common';
import { GatewayError } from '../errors/gateway-error';

/** Parses a request body that must be a JSON object; the text is kept for pass-through. */
export function parseJsonObject(text: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new GatewayError(
      'request.invalid_json',
      `The request body is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (!isJsonObject(parsed))
    throw new GatewayError('request.invalid', 'The request body must be a JSON object.');
  return parsed;
}

/** The required `model` field, as a non-empty string. */
export function requireModel(body: JsonObject): string {
  const model = body.model;
  if (typeof model !== 'string' || model.length === 0) {
    throw new GatewayError('request.invalid', "You must provide a model parameter ('model', a string).", {
      param: 'model',
    });
  }
  return model;
}
