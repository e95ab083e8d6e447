// Taking a report away: the data as a JSON file (the interview as the API
// gave it) and, through the browser's print dialog, a PDF of the page
// (styles.css has its print rules).

import type { Interview } from '../types';

/** Fields left out of the download: presigned links that expire within
 * minutes and, while they last, let anyone holding the file play the recording. */
const NOT_EXPORTED = ['video_url', 'poster_url'] as const;

/** The interview and its report as GET /v1/interviews/{id} returned them, as a file. */
export function reportExport(iv: Interview): { filename: string; json: string } {
  const data: Record<string, unknown> = { ...iv };
  for (const k of NOT_EXPORTED) delete data[k];
  return { filename: `interview-${iv.id}.json`, json: `${JSON.stringify(data, null, 2)}\n` };
}

/** The name a saved PDF gets from the page title: the question's start and the day, without characters file systems refuse. */
export function pdfTitle(prefix: string, question: string, isoDate: string | null | undefined): string {
  const day = isoDate && !Number.isNaN(Date.parse(isoDate)) ? new Date(isoDate).toISOString().slice(0, 10) : '';
  const q = question.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 60).trim();
  return [prefix, q, day].filter(Boolean).join(' - ');
}

/** Hands text to the browser as a file download. */
export function downloadText(filename: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // the download has its own copy once started
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
