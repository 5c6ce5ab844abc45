export * from './records.js';
export * from './parse.js';
export * from './board.js';
export * from './admission.js';
export * from './crisisLines.js';
export * from './supportSignal.js';
