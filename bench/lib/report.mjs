// Turns figure rows into the printed table, bench/results.md and bench/results.json.
import { meets, ratio } from './stats.mjs';

function formatValue(value, unit) {
  if (value === null || value === undefined) return '–';
  if (unit === 'ms') return value < 10 ? `${value.toFixed(2)} ms` : `${value.toFixed(0)} ms`;
  if (unit === 'bytes') return `${(value / 1024).toFixed(1)} KiB`;
  if (unit === 'nodes') return `${Math.round(value)} nodes`;
  if (unit === 'MB/s') return value < 10 ? `${value.toFixed(1)} MB/s` : `${value.toFixed(0)} MB/s`;
  return `${value} ${unit}`;
}

function formatDuration(seconds) {
  return seconds >= 120 ? `${Math.floor(seconds / 60)} min ${seconds % 60} s` : `${seconds} s`;
}

/** Adds ratio and verdict to each row. */
export function finishRows(rows) {
  return rows.map((row) => {
    const r = ratio(row.hearth, row.baseline);
    // A row has a goal on the ratio, or a target on Hearth's own figure (phone-class rows).
    return { ...row, ratio: r, met: row.goal ? meets(r, row.goal) : row.target ? meets(row.hearth, row.target) : null };
  });
}

export function markdown({ machine, params, rows, failures }) {
  const lines = [];
  lines.push(`Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB; Node ${machine.node}; Chromium ${machine.chromium ?? 'not used'}; load average at start ${machine.loadAverage}.`);
  lines.push(
    `Parameters: ${params.posts} posts, ${params.runs} runs (median, after ${params.warmup} warm-up), ${params.samples} propagation samples; ` +
      `meetings of ${params.meetingMembers.join(' and ')} members, ${params.meetingPosts} posts, ${params.meetingRuns} runs. ${params.date}; the whole run took ${formatDuration(params.durationS)}.`,
  );
  lines.push('');
  lines.push('| Figure | Hearth | Baseline | Ratio | Goal | Met |');
  lines.push('| --- | ---: | ---: | ---: | :---: | :---: |');
  for (const row of rows) {
    const hearth = row.display?.hearth ?? formatValue(row.hearth, row.unit);
    const baseline = row.display?.baseline ?? formatValue(row.baseline, row.unit);
    const r = row.ratio === null ? '–' : row.ratio.toFixed(2);
    const bound = row.goal ?? row.target;
    const goal = bound ? `${bound.op === '<=' ? '≤' : '≥'} ${row.goal ? bound.value : formatValue(bound.value, row.unit)}` : '–';
    const met = row.met === null ? '–' : row.met ? 'yes' : '**no**';
    lines.push(`| ${row.figure} | ${hearth} | ${baseline} | ${r} | ${goal} | ${met} |`);
  }
  lines.push('');
  lines.push('Ratio = Hearth / baseline, both measured in the same run. Notes:');
  for (const row of rows) {
    const parts = [row.baselineName ? `baseline: ${row.baselineName}` : null, row.note].filter(Boolean);
    if (parts.length > 0) lines.push(`- ${row.figure}: ${parts.join('; ')}.`);
  }
  for (const failure of failures) lines.push(`- FAILED ${failure.figure}: ${failure.error}`);
  return lines.join('\n') + '\n';
}
