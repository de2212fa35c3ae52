import { Logger } from '@nestjs/common';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MasterKeyInput } from './key-ring';
import { generateSecret } from './token-hash';

/**
 * Outside production, a missing SECRETS_KEY is replaced by a random one kept in
 * `.switchyard/secrets.key` (mode 0600) so a laptop install works and survives restarts.
 * Production refuses to start without SECRETS_KEY (see loadConfig).
 */
export function developmentSecretsKey(log: Logger, dir = join(process.cwd(), '.switchyard')): MasterKeyInput {
  const file = join(dir, 'secrets.key');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    try {
      writeFileSync(file, `${generateSecret('', 48)}\n`, { mode: 0o600, flag: 'wx' });
      log.warn(`SECRETS_KEY is not set: generated one in ${file}. Set SECRETS_KEY in production.`);
    } catch (error) {
      // Another process of this install created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  chmodSync(file, 0o600);
  return { version: 1, secret: readFileSync(file, 'utf8').trim() };
}
