import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';

export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Interview Simulator` : 'Interview Simulator';
  }, [title]);
}

export function ErrorBox({ error, children }: { error: string | null | undefined; children?: ComponentChildren }) {
  if (!error) return null;
  return (
    <div class="error" role="alert">
      <p>{error}</p>
      {children}
    </div>
  );
}

export function Loading({ what = 'Loading…' }: { what?: string }) {
  return <p class="loading" role="status">{what}</p>;
}

export function ScoreBadge({ score, label }: { score: number | null | undefined; label?: string }) {
  const v = typeof score === 'number' && Number.isFinite(score) ? Math.round(score) : null;
  const band = v === null ? 'none' : v >= 75 ? 'good' : v >= 50 ? 'fair' : 'poor';
  return (
    <span class={`score score-${band}`} aria-label={label ? `${label}: ${v ?? 'not scored'}` : undefined}>
      {v ?? '–'}
    </span>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const words: Record<string, string> = {
    created: 'Not uploaded', uploaded: 'Queued', processing: 'Processing', complete: 'Complete', failed: 'Failed',
  };
  return <span class={`status status-${status}`}>{words[status] ?? status}</span>;
}

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  return (
    <button type="button" class="secondary small" onClick={() => navigator.clipboard?.writeText(text).catch(() => {})}>
      {label}
    </button>
  );
}
