/**
 * Prints a generated bootstrap admin token once, on stdout only (never through the logger, whose
 * lines may be shipped elsewhere).
 */
export function announceAdminToken(token: string | null): void {
  if (token === null) return;
  process.stdout.write(
    `\nSwitchyard created a platform admin token (shown once; store it, or set ADMIN_TOKEN):\n\n  ${token}\n\n`,
  );
}
