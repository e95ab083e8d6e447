// The question bank's files: what an administrator imports.

/** The format of a bank file, by its name (else its type), or null when it is neither JSON nor CSV. */
export function bankFileFormat(name: string, type: string): 'json' | 'csv' | null {
  const n = name.toLowerCase();
  if (n.endsWith('.json')) return 'json';
  if (n.endsWith('.csv')) return 'csv';
  const t = type.toLowerCase().split(';')[0].trim();
  if (t === 'application/json') return 'json';
  if (t === 'text/csv') return 'csv';
  return null;
}
