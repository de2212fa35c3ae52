export * from './audit-entry';
export * from './audit.service';
export * from './audit.module';
export * from './redact';
export * from './canonical-json';
