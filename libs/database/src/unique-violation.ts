/** True when a pg error is a unique-constraint violation (optionally of one named constraint). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pgError = error as {
    code?: string;
    constraint?: string;
    driverError?: { code?: string; constraint?: string };
  };
  const source = pgError?.driverError ?? pgError;
  return source?.code === '23505' && (constraint === undefined || source.constraint === constraint);
}
