export * from './entities';
export * from './migrations';
export * from './data-source';
export * from './database.module';
export * from './bigint.transformer';
export * from './snake-naming.strategy';
export * from './unique-violation';
export * from './pagination';
