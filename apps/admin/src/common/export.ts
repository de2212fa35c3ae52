import { Request, Response } from 'express';
import { DomainError } from '@switchyard/common';

export type ExportFormat = 'csv' | 'jsonl';

/** `format=csv|jsonl`, or `Accept: text/csv` / `application/x-ndjson`; null means a JSON page. */
export function exportFormat(request: Request, format: string | undefined): ExportFormat | null {
  if (format === 'csv' || format === 'jsonl') return format;
  if (format !== undefined && format !== 'json') {
    throw new DomainError('validation', 'format must be json, csv or jsonl', {
      format: 'must be json, csv or jsonl',
    });
  }
  const accept = request.headers.accept ?? '';
  if (accept.includes('text/csv')) return 'csv';
  if (accept.includes('application/x-ndjson') || accept.includes('application/jsonl')) return 'jsonl';
  return null;
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  // Quote everything that could break a row; neutralise spreadsheet formulas.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * Streams rows to the response as they come from the database, a batch at a time, honouring
 * backpressure: an export of millions of rows holds one batch in memory.
 */
export async function streamExport<T extends Record<string, unknown>>(
  res: Response,
  format: ExportFormat,
  filename: string,
  columns: readonly (keyof T & string)[],
  batches: AsyncIterable<T[]>,
): Promise<void> {
  res.status(200);
  res.setHeader(
    'content-type',
    format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
  );
  res.setHeader('content-disposition', `attachment; filename="${filename}.${format}"`);
  res.setHeader('cache-control', 'no-store');
  const write = async (text: string): Promise<void> => {
    if (!res.write(text)) await new Promise<void>((resolve) => res.once('drain', resolve));
  };
  if (format === 'csv') await write(`${columns.join(',')}\n`);
  for await (const batch of batches) {
    if (res.destroyed) return;
    const lines = batch.map((row) =>
      format === 'csv' ? columns.map((column) => csvCell(row[column])).join(',') : JSON.stringify(row),
    );
    await write(`${lines.join('\n')}\n`);
  }
  res.end();
}
