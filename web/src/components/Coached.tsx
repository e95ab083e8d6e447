// The report as a coach sees it: whose answer it is, and none of the
// candidate's own actions (record again, retry, their history).

import type { ComponentChildren } from 'preact';
import { useAuth } from '../auth';
import { useI18n } from '../i18n/context';
import { isOwnInterview, memberPath } from '../lib/coaching';
import type { Interview } from '../types';
import { StatusBadge } from './ui';
import '../coach.css';

/** The report's heading: "Your feedback" for its candidate, "Alex's answer" for their coach. */
export function ReportHeading({ iv }: { iv: Pick<Interview, 'user'> }) {
  const { m } = useI18n();
  const { me } = useAuth();
  if (isOwnInterview(iv, me) || !iv.user) return <h1>{m.report.title}</h1>;
  const t = m.coach.report;
  return (
    <>
      <h1 data-owner={iv.user.id}>{t.title(iv.user.name)}</h1>
      <p class="coach-note no-print">
        {t.note} <a href={memberPath(iv.user.id)}>{t.theirInterviews(iv.user.name)}</a>
      </p>
    </>
  );
}

/** Its children for the interview's candidate; `otherwise` (nothing by default) for anyone else. */
export function OwnerOnly({ iv, otherwise = null, children }: {
  iv: Pick<Interview, 'user'>; otherwise?: ComponentChildren; children: ComponentChildren;
}) {
  const { me } = useAuth();
  return <>{isOwnInterview(iv, me) ? children : otherwise}</>;
}

/** A member's interview that has no report yet, as their coach sees it: its state and why it failed. */
export function TheirStatus({ iv }: { iv: Interview }) {
  const { m } = useI18n();
  return (
    <div class="their-status">
      <p>{m.report.status} <StatusBadge status={iv.status} /></p>
      {iv.failure_reason && <p class="muted">{iv.failure_reason}</p>}
    </div>
  );
}
