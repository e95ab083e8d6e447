import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { lookup } from '../i18n';
import { useI18n } from '../i18n/context';

export function useTitle(title: string): void {
  const { m } = useI18n();
  useEffect(() => {
    document.title = title ? m.app.pageTitle(title) : m.app.name;
  }, [title, m]);
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

export function Loading({ what }: { what?: string }) {
  const { m } = useI18n();
  return <p class="loading" role="status">{what ?? m.app.loading}</p>;
}

export function ScoreBadge({ score, label }: { score: number | null | undefined; label?: string }) {
  const { m } = useI18n();
  const v = typeof score === 'number' && Number.isFinite(score) ? Math.round(score) : null;
  const band = v === null ? 'none' : v >= 75 ? 'good' : v >= 50 ? 'fair' : 'poor';
  return (
    <span class={`score score-${band}`} aria-label={label ? m.common.scoreOf(label, v) : undefined}>
      {v ?? '–'}
    </span>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const { m } = useI18n();
  return <span class={`status status-${status}`}>{lookup(m.status, status) ?? status}</span>;
}

export function CopyButton({ text, label }: { text: string; label?: string }) {
  const { m } = useI18n();
  return (
    <button type="button" class="secondary small" onClick={() => navigator.clipboard?.writeText(text).catch(() => {})}>
      {label ?? m.common.copy}
    </button>
  );
}
