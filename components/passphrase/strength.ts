import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

/**
 * zxcvbn-ts (common passwords, keyboard patterns, names and words of many languages) with its
 * dictionaries. Loaded by a dynamic import only where a passphrase is being chosen.
 */
const estimator = new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });

/** zxcvbn's score: 0 (guessed at once) to 4 (very unlikely to be guessed). */
export function passphraseScore(passphrase: string): 0 | 1 | 2 | 3 | 4 {
  return estimator.check(passphrase).score;
}
