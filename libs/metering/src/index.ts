export * from './usage-meter';
export * from './usage-recorder';
export * from './metering.module';
export * from './usage-recording.module';
export * from './usage-query.service';
export * from './usage-batcher';
