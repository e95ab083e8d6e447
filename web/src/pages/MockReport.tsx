import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { DataTable } from '../components/DataTable';
import { ErrorBox, Loading, ScoreBadge, StatusBadge, useTitle } from '../components/ui';
import { useAction } from '../components/useAction';
import { useI18n } from '../i18n/context';
import {
  PART_ORDER, describeChange, metricName, mockPaths, mockTitle, momentHref, partName, reportSettled,
} from '../lib/mock';
import { mockErrorMessage } from '../lib/mockErrors';
import type { MockInterview, MockReport as Combined } from '../types';
import '../mock.css';

/** How often the report is read again while answers are processing, ms. */
const POLL_MS = 3000;

function Change({ report }: { report: Combined }) {
  const { m, f } = useI18n();
  const t = m.mock.report;
  return (
    <section aria-labelledby="change-title" class="card mock-change">
      <h2 id="change-title">{t.change}</h2>
      {!report.change ? (
        <p class="muted">{t.changeNone}</p>
      ) : (() => {
        const words = describeChange(report.change, m, f);
        return (
          <>
            <p data-testid="change-overall">{words.overall}</p>
            {words.parts.length > 0 && <ul class="change-parts">{words.parts.map((p) => <li key={p}>{p}</li>)}</ul>}
            {words.improved.length === 0 && words.dropped.length === 0 && <p class="muted">{t.noneMoved}</p>}
            <div class="two-col">
              {words.improved.length > 0 && (
                <div>
                  <h3>{t.improved}</h3>
                  <ul class="improved">
                    {words.improved.map((w, i) => <li key={i} data-metric={report.change!.improved[i].metric}>{w}</li>)}
                  </ul>
                </div>
              )}
              {words.dropped.length > 0 && (
                <div>
                  <h3>{t.dropped}</h3>
                  <ul class="dropped">
                    {words.dropped.map((w, i) => <li key={i} data-metric={report.change!.dropped[i].metric}>{w}</li>)}
                  </ul>
                </div>
              )}
            </div>
          </>
        );
      })()}
    </section>
  );
}

function TopTips({ report, language }: { report: Combined; language: string | undefined }) {
  const { m, f } = useI18n();
  const t = m.mock.report;
  return (
    <section aria-labelledby="top-tips-title">
      <h2 id="top-tips-title">{t.tips}</h2>
      {report.top_tips.length === 0 ? <p class="muted">{t.noTips}</p> : <p class="muted">{t.tipsIntro}</p>}
      <ol class="tips mock-tips">
        {report.top_tips.map((tip) => (
          <li key={tip.metric} class="card tip" data-metric={tip.metric}>
            <p class="tip-part">{tip.part ? `${partName(m, tip.part)} · ` : ''}{metricName(m, tip.metric)}</p>
            <p class="tip-message" lang={language}>{tip.message}</p>
            <p class="hint">{t.tipCost(tip.answers, tip.points_lost)}</p>
            <ul class="moments">
              {tip.moments.map((mo) => (
                <li key={`${mo.interview_id}-${mo.start}`}>
                  <a href={momentHref(mo.interview_id, mo.start)} data-position={mo.position}>
                    {t.moment(mo.position, typeof mo.start === 'number' ? f.clock(mo.start) : null)}
                  </a>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </section>
  );
}

export function MockReport({ id }: { id: string }) {
  const { m, f } = useI18n();
  const t = m.mock.report;
  useTitle(t.pageTitle);
  const [report, setReport] = useState<Combined | null>(null);
  const [mock, setMock] = useState<MockInterview | null>(null);
  const [error, setError] = useState<{ message: string; notFound: boolean } | null>(null);
  const [tick, setTick] = useState(0);
  const finish = useAction();

  useEffect(() => {
    let gone = false;
    let timer: number | undefined;
    const load = () => Promise.all([api.mockReport(id), api.getMock(id)]).then(([r, mk]) => {
      if (gone) return;
      setReport(r);
      setMock(mk);
      setError(null);
      if (!reportSettled(r)) timer = window.setTimeout(load, POLL_MS);
    }, (e) => {
      if (gone || (e instanceof ApiError && e.status === 401)) return;
      const notFound = e instanceof ApiError && e.status === 404;
      setError({ notFound, message: notFound ? t.notFound : mockErrorMessage(e, m) });
      if (!notFound) timer = window.setTimeout(load, POLL_MS);
    });
    load();
    return () => {
      gone = true;
      window.clearTimeout(timer);
    };
  }, [id, tick]);

  const finishIt = () => finish.run(async () => {
    try {
      await api.finishMock(id);
    } catch (e) {
      throw new Error(mockErrorMessage(e, m));
    }
    setTick((n) => n + 1);
  });

  if (error && !report) {
    return (
      <div class="narrow">
        <h1>{t.pageTitle}</h1>
        <ErrorBox error={error.message} />
        <p><a href={mockPaths.list}>{t.all}</a></p>
      </div>
    );
  }
  if (!report || !mock) return <Loading what={t.loading} />;

  const title = mockTitle(mock, m, f);
  const open = report.status === 'in_progress';
  const language = mock.language || undefined;
  const parts = PART_ORDER.filter((p) => typeof report.parts[p] === 'number')
    .concat(Object.keys(report.parts).filter((p) => !PART_ORDER.includes(p)));

  return (
    <div class="mock-report" data-status={report.status} data-settled={reportSettled(report) ? 'true' : 'false'}>
      <header class="report-head">
        <div>
          <h1>{title}</h1>
          <p class="muted">
            {open ? t.inProgress(report.answered, report.questions) : t.finishedOn(f.date(mock.finished_at))}
          </p>
        </div>
        <div class="overall">
          <span class="overall-label">{t.overall}</span>
          <span data-testid="mock-overall"><ScoreBadge score={report.overall} label={t.overall} /></span>
        </div>
      </header>

      {open && (
        <div class="notice mock-open">
          <p>{t.unfinishedHint}</p>
          <div class="buttons">
            {mock.next && <a class="button" href={mockPaths.run(id)}>{t.continue(mock.next.position)}</a>}
            <button type="button" class={mock.next ? 'secondary' : ''} onClick={finishIt} disabled={finish.busy}>{t.finish}</button>
          </div>
          <ErrorBox error={finish.error} />
        </div>
      )}

      <p role="status" class="mock-counts" data-testid="mock-counts">
        {t.counts(report.complete, report.processing, report.failed, report.questions)}
        {!reportSettled(report) && <> {t.updating}</>}
      </p>
      {error && <ErrorBox error={error.message} />}

      <section aria-labelledby="mock-scores-title" class="mock-scores">
        <h2 id="mock-scores-title">{t.scores}</h2>
        {report.complete > 0 ? <p class="hint">{t.meanOf(report.complete)}</p> : <p class="muted">{t.noScore}</p>}
        <dl class="figures">
          {parts.map((p) => (
            <div key={p} data-part={p}>
              <dt>{partName(m, p)}</dt>
              <dd><ScoreBadge score={report.parts[p]} label={m.report.partScore(partName(m, p))} /></dd>
            </div>
          ))}
        </dl>
      </section>

      <section aria-labelledby="mock-answers-title">
        <h2 id="mock-answers-title">{t.answers}</h2>
        <DataTable class="mock-answers" caption={t.answersCaption}
          columns={[t.columns.position, t.columns.question, t.columns.status, t.columns.overall,
            ...PART_ORDER.map((p) => partName(m, p))]} actions>
          {report.answers.map((a) => (
            <tr key={a.position} data-position={a.position} data-status={a.status ?? 'none'}>
              <td>{f.number(a.position)}</td>
              <td>
                <span lang={language}>{a.question}</span>
                {a.status === 'failed' && a.failure_reason && <span class="what failure">{a.failure_reason}</span>}
              </td>
              <td>{a.status ? <StatusBadge status={a.status} /> : <span class="muted">{t.notAnswered}</span>}</td>
              <td data-col="overall"><ScoreBadge score={a.overall} /></td>
              {PART_ORDER.map((p) => <td key={p} data-col={p}><ScoreBadge score={a.parts?.[p]} /></td>)}
              <td class="row-actions">
                {a.interview_id && (
                  <a href={`/interviews/${a.interview_id}`} aria-label={t.openLabel(a.position)}>{t.open}</a>
                )}
                {open && a.status === 'failed' && (
                  <>{' '}<a class="button small" href={mockPaths.run(id, a.position)}
                    aria-label={t.recordAgainLabel(a.position)}>{t.recordAgain}</a></>
                )}
                {open && !a.interview_id && (
                  <a class="button small secondary" href={mockPaths.run(id, a.position)}
                    aria-label={t.answerItLabel(a.position)}>{t.answerIt}</a>
                )}
                {!open && a.status === 'failed' && (
                  <>{' '}<a href={`/record?question_id=${encodeURIComponent(a.question_id)}`}
                    aria-label={t.practiseLabel(a.position)}>{t.practise}</a></>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      </section>

      <Change report={report} />
      <TopTips report={report} language={language} />

      <p class="actions">
        <a class="button secondary" href={mockPaths.list}>{t.all}</a>
      </p>
    </div>
  );
}
