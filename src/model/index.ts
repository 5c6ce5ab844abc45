export * from './records.js';
export * from './parse.js';
export * from './board.js';
export * from './admission.js';
export * from './membershipSchema.js';
export * from './membershipParse.js';
export * from './membership.js';
export * from './membershipWrite.js';
