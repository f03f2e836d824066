/**
 * @module
 * The markdown table on stdout and `bench/results/latest.json`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname } from 'node:path';
import type { BenchSettings, MeasureRow } from './types';

export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  platform: string;
  loadAverage: number[];
}

/** The machine the run is on; load average is noted because machines are shared. */
export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    nproc: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** Formats a number with thousands separators and `digits` decimals. */
export function fmt(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

function ratioText(row: MeasureRow): string {
  // Three significant digits: 0.798x must not print as a target-meeting 0.80x.
  return row.ratio === null || !Number.isFinite(row.ratio) ? '-' : `${row.ratio.toPrecision(3)}x`;
}

function metText(row: MeasureRow): string {
  if (row.met === null) return 'not run';
  return row.met ? 'yes' : '**no**';
}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** The results as a markdown table, with notes under it. */
export function markdownTable(rows: readonly MeasureRow[]): string {
  const lines = [
    '_ratio: the median over rounds of FlinkNet / baseline, each pair measured back to back; figures: medians of the rounds._',
    '',
    '| measure | FlinkNet | baseline in the same run | ratio | target | met |',
    '|---|---:|---:|---:|---|---|',
    ...rows.map(
      (r) =>
        `| ${cell(r.measure)} | ${cell(r.value)} | ${cell(r.baseline)} | ${ratioText(r)} | ${cell(r.target)} | ${metText(r)} |`,
    ),
  ];
  const notes = rows.filter((r) => r.note);
  if (notes.length > 0) {
    lines.push('');
    for (const r of notes) lines.push(`- ${r.measure}: ${r.note}`);
  }
  return lines.join('\n');
}

export interface RunReport {
  command: string;
  settings: BenchSettings;
  startedAt: string;
  finishedAt: string;
  durationSec: number;
  machine: MachineInfo;
  /** Load average when the run ended (the one in `machine` is from the start). */
  loadAverageAtEnd: number[];
  results: MeasureRow[];
}

/** Writes the report as JSON (directories created). */
export function writeJson(file: string, report: RunReport): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
