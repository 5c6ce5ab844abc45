export * from './errors.js';
export * from './keyWrapper.js';
export * from './records.js';
export * from './schema.js';
export * from './sealedRecord.js';
export * from './envelopeStore.js';
export * from './hearthStore.js';
