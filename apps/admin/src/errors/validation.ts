import { ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError } from '@switchyard/common';

/** Flattens class-validator errors into `{ "field.path": "what is wrong" }`. */
export function fieldDetails(errors: ValidationError[], prefix = ''): Record<string, string> {
  const details: Record<string, string> = {};
  for (const error of errors) {
    const path = prefix
      ? /^\d+$/.test(error.property)
        ? `${prefix}[${error.property}]`
        : `${prefix}.${error.property}`
      : error.property;
    if (error.constraints) details[path] = Object.values(error.constraints).join('; ');
    Object.assign(details, fieldDetails(error.children ?? [], path));
  }
  return details;
}

/** Whitelisting validation: unknown fields are refused, every problem is reported by field. */
export function adminValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const details = fieldDetails(errors);
      const fields = Object.keys(details);
      return new DomainError('validation', `Invalid request body: ${fields.join(', ')}`, details);
    },
  });
}
