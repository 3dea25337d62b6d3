export * from './schemas';
export * from './envelope';
export * from './outbox-record';
export * from './outbox-writer';
export * from './event-bus';
