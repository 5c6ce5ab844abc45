// Small statistics for bench figures: medians of runs, percentiles of samples.

export function median(values) {
  return percentile(values, 50);
}

/** Linear interpolation between closest ranks; null for no values. */
export function percentile(values, p) {
  const sorted = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const rank = ((sorted.length - 1) * p) / 100;
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

/** hearth / baseline, or null when either is missing. */
export function ratio(hearth, baseline) {
  if (typeof hearth !== 'number' || typeof baseline !== 'number' || baseline === 0) return null;
  return hearth / baseline;
}

/** Whether `value` meets `goal` ({ op: '<=' | '>=', value }); null when it cannot be told. */
export function meets(value, goal) {
  if (value === null || value === undefined || !goal) return null;
  return goal.op === '<=' ? value <= goal.value : value >= goal.value;
}
