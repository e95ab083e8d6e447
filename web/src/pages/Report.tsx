import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { Attempts } from '../components/Attempts';
import { DataTable } from '../components/DataTable';
import { ErrorBox, Loading, ScoreBadge, StatusBadge, useTitle } from '../components/ui';
import { LiveProgress } from '../components/LiveProgress';
import { Playhead } from '../components/playhead';
import { OwnerOnly, ReportHeading, TheirStatus } from '../components/Coached';
import { ReportComments } from '../components/ReportComments';
import { TimelineChart } from '../components/TimelineChart';
import { Transcript } from '../components/Transcript';
import { lookup, type Messages } from '../i18n';
import { useI18n } from '../i18n/context';
import { transcriptSource } from '../lib/transcript';
import { reportCharts } from '../lib/charts';
import { errorMessage } from '../lib/errors';
import { downloadText, pdfTitle, reportExport } from '../lib/export';
import { reportLanguage } from '../lib/languages';
import type { AiClaim, Interview, Report, ScorePart, StarPart, Tip } from '../types';

const partLabel = (m: Messages, part: string | undefined) => lookup(m.parts, part) ?? part ?? '';
const metricLabel = (m: Messages, metric: string | undefined) =>
  (metric ? lookup(m.metrics, metric)?.label ?? metric.replace(/_/g, ' ') : '');

function recordAgainHref(iv: Pick<Interview, 'question' | 'question_id'>): string {
  return iv.question_id
    ? `/record?question_id=${encodeURIComponent(iv.question_id)}`
    : `/record?question=${encodeURIComponent(iv.question)}`;
}

function JumpButton({ t, playhead, label }: { t: number; playhead: Playhead; label?: string }) {
  const { m, f } = useI18n();
  return (
    <button type="button" class="link jump" data-t={t} onClick={() => {
      playhead.seek(t);
      document.getElementById('report-video')?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    }}>
      {label ?? m.report.jumpTo(f.clock(t))}
    </button>
  );
}

function Parts({ score }: { score: Report['score'] }) {
  const { m } = useI18n();
  const parts = score?.parts ?? {};
  const keys = (['delivery', 'content', 'on_camera'] as const).filter((k) => parts[k]);
  if (keys.length === 0) return null;
  return (
    <section aria-labelledby="scores-title" class="scores">
      <h2 id="scores-title">{m.report.scores}</h2>
      <div class="parts">
        {keys.map((k) => <PartCard key={k} name={k} part={parts[k]!} />)}
      </div>
      {(score?.notes ?? []).length > 0 && <ul class="notes">{score!.notes!.map((n) => <li key={n}>{n}</li>)}</ul>}
      {score?.rubric && <p class="hint">{m.report.rubric(score.rubric)}</p>}
    </section>
  );
}

function PartCard({ name, part }: { name: string; part: ScorePart }) {
  const { m, f } = useI18n();
  const label = partLabel(m, name);
  const cols = m.report.columns;
  return (
    <article class="card part" data-part={name}>
      <header class="part-head">
        <h3>{label}</h3>
        <ScoreBadge score={part.score} label={m.report.partScore(label)} />
      </header>
      {typeof part.weight === 'number' && <p class="hint">{m.report.weight(f.percent(part.weight))}</p>}
      {part.reason && <p class="muted">{part.reason}</p>}
      {(part.criteria ?? []).length > 0 && (
        <DataTable class="criteria" caption={m.report.criteriaCaption(label)}
          columns={[cols.criterion, cols.value, cols.score, cols.weight]}>
          {part.criteria!.map((c) => (
            <tr key={c.metric}>
              <th scope="row">
                {metricLabel(m, c.metric)}
                <span class="what">{lookup(m.metrics, c.metric)?.what ?? c.metric}</span>
                {c.reason && <span class="what">{m.report.notScored(c.reason)}</span>}
              </th>
              <td>{f.number(c.value)}</td>
              <td>{c.score === null ? m.report.notApplicable : f.score(c.score)}</td>
              <td>{typeof c.weight === 'number' ? f.percent(c.weight) : '–'}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </article>
  );
}

/** The tips, written by the server in the report's language (lang). */
function Tips({ tips, lang, playhead }: { tips: Tip[]; lang: string | undefined; playhead: Playhead }) {
  const { m, f } = useI18n();
  if (tips.length === 0) return null;
  return (
    <section aria-labelledby="tips-title">
      <h2 id="tips-title">{m.report.tips}</h2>
      <ol class="tips">
        {tips.map((tip, i) => {
          const ev = (tip.evidence ?? []).filter((e) => typeof e.start === 'number');
          return (
            <li key={i} class="card tip" data-metric={tip.metric} data-start={ev[0]?.start}>
              <p class="tip-part">{partLabel(m, tip.part)} · {metricLabel(m, tip.metric)}</p>
              <p class="tip-message" lang={lang}>{tip.message}</p>
              {ev.length > 0 && (
                <>
                  <button type="button" class="jump-tip" onClick={() => {
                    playhead.seek(ev[0].start);
                    document.getElementById('report-video')?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
                  }}>
                    {m.report.jumpToMoment(f.clock(ev[0].start))}
                  </button>
                  <ul class="evidence print-only">
                    {ev.map((e, j) => (
                      <li key={j}>
                        {f.clock(e.start)}–{f.clock(e.end)}{' '}
                        <span lang={lang}>{e.detail}{e.words ? ` (“${e.words}”)` : ''}</span>
                      </li>
                    ))}
                  </ul>
                  <details class="no-print">
                    <summary>{m.report.evidence(ev.length)}</summary>
                    <ul class="evidence">
                      {ev.map((e, j) => (
                        <li key={j}>
                          <JumpButton t={e.start} playhead={playhead} label={`${f.clock(e.start)}–${f.clock(e.end)}`} />{' '}
                          <span lang={lang}>{e.detail}{e.words ? ` (“${e.words}”)` : ''}</span>
                        </li>
                      ))}
                    </ul>
                  </details>
                </>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

const STAR_NAMES = ['situation', 'task', 'action', 'result'] as const;

function Star({ r, playhead }: { r: Report; playhead: Playhead }) {
  const { m, f } = useI18n();
  const star = r.delivery?.star;
  if (!star) return null;
  const t = m.report.star;
  const order = star.order ? [...star.order].map((l) => lookup(t.letters, l) ?? l).join('') : null;
  return (
    <section aria-labelledby="star-title" class="card">
      <h2 id="star-title">{t.title}</h2>
      <p class="muted">{t.found(star.present ?? 0, order, star.in_order ?? null)}</p>
      <DataTable columns={[t.columns.part, t.columns.found, t.columns.share, t.columns.first]}>
        {STAR_NAMES.map((n) => {
          const p: StarPart = star[n] ?? {};
          const found = (p.cues ?? []).length > 0 || typeof p.first_s === 'number';
          return (
            <tr key={n}>
              <th scope="row">{t.parts[n]}</th>
              <td>{found ? t.yes((p.cues ?? []).map((c) => c.cue)) : t.notFound}</td>
              <td>{f.percent(p.share)}</td>
              <td>{typeof p.first_s === 'number' ? <JumpButton t={p.first_s} playhead={playhead} label={f.clock(p.first_s)} /> : '–'}</td>
            </tr>
          );
        })}
      </DataTable>
    </section>
  );
}

function TalkingPoints({ r, playhead }: { r: Report; playhead: Playhead }) {
  const { m, f } = useI18n();
  const rel = r.relevance;
  if (!rel) return null;
  const points = rel.talking_points ?? [];
  const t = m.report.points;
  const source = lookup(t.sources, rel.source) ?? t.defaultSource;
  return (
    <section aria-labelledby="points-title" class="card">
      <h2 id="points-title">{t.title}</h2>
      <p class="muted">
        {t.similarity(source, f.percent(rel.similarity),
          typeof rel.covered_share === 'number' ? f.percent(rel.covered_share) : null)}
      </p>
      {points.length === 0 ? (
        <p class="muted">{t.none}</p>
      ) : (
        <ul class="points">
          {points.map((p) => (
            <li key={p.text} class={p.covered ? 'covered' : 'missed'}>
              <span class="pt-icon" aria-hidden="true">{p.covered ? '✓' : '✗'}</span>
              <span class="sr-only">{p.covered ? t.covered : t.notCovered}</span> {p.text}
              {(p.matched ?? []).length > 0 && (
                <span class="hint">{t.said}{p.matched!.map((w, i) => (
                  <span key={w.term}>{i > 0 && ', '}<JumpButton t={w.start} playhead={playhead} label={w.term} /></span>
                ))}</span>
              )}
              {(p.missing ?? []).length > 0 && <span class="hint">{t.missing(p.missing!)}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Claims({ title, claims, playhead }: { title: string; claims: AiClaim[]; playhead: Playhead }) {
  const { f } = useI18n();
  if (claims.length === 0) return null;
  return (
    <>
      <h3>{title}</h3>
      <ul>
        {claims.map((c, i) => (
          <li key={i}>
            {c.claim}{' '}
            {(c.spans ?? []).map((s, j) => (
              <JumpButton key={j} t={s.start} playhead={playhead} label={`(${f.clock(s.start)})`} />
            ))}
          </li>
        ))}
      </ul>
    </>
  );
}

function AiReviewView({ r, playhead }: { r: Report; playhead: Playhead }) {
  const { m } = useI18n();
  const ai = r.ai_review;
  if (!ai) return null;
  const t = m.report.ai;
  return (
    <section aria-labelledby="ai-title" class="card">
      <h2 id="ai-title">{t.title}</h2>
      {ai.status !== 'ok' ? (
        <p class="muted">{t.unavailable(ai.reason ?? null)}</p>
      ) : (
        <>
          {ai.model && <p class="hint">{t.by(ai.model)}</p>}
          <Claims title={t.strengths} claims={ai.strengths ?? []} playhead={playhead} />
          <Claims title={t.improvements} claims={ai.improvements ?? []} playhead={playhead} />
          {(ai.outline ?? []).length > 0 && (
            <>
              <h3>{t.outline}</h3>
              <ol>{ai.outline!.map((o, i) => <li key={i}>{o}</li>)}</ol>
            </>
          )}
        </>
      )}
    </section>
  );
}

function KeyFigures({ r }: { r: Report }) {
  const { m, f } = useI18n();
  const d = r.delivery ?? {};
  const t = m.report.figures;
  const items: [string, string][] = [
    [t.length, f.clock(r.media?.duration_s ?? r.duration_s ?? d.duration_s ?? 0)],
    [t.words, f.number(d.word_count)],
    [t.pace, d.wpm ? t.wpm(d.wpm) : '–'],
    [t.fillers, f.number(d.filler_count ?? d.fillers?.length)],
    [t.hedges, f.number(d.hedges?.count)],
    [t.pauses, f.number(d.pauses?.count)],
  ];
  return (
    <dl class="figures">
      {items.map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{v}</dd></div>)}
    </dl>
  );
}

/** Taking the report away: a PDF through the browser's print dialog (styles.css's print rules), and the data as JSON. */
function ReportTools({ iv }: { iv: Interview }) {
  const { m } = useI18n();
  const print = () => {
    // Chromium names the saved PDF after the page's title.
    const title = document.title;
    document.title = pdfTitle(m.report.download.pdfName, iv.question, iv.completed_at ?? iv.created_at);
    window.print();
    document.title = title;
  };
  const save = () => {
    const { filename, json } = reportExport(iv);
    downloadText(filename, json);
  };
  return (
    <div class="report-tools no-print" role="group" aria-label={m.report.download.label}>
      <button type="button" class="secondary small" data-action="pdf" aria-describedby="pdf-hint" onClick={print}>
        {m.report.download.pdf}
      </button>
      <button type="button" class="secondary small" data-action="json" onClick={save}>{m.report.download.json}</button>
      <span id="pdf-hint" class="hint">{m.report.download.pdfHint}</span>
    </div>
  );
}

/** The language of the answer, under the question: the transcript's, and how sure the detection was. */
function AnswerLanguage({ iv, report }: { iv: Interview; report: Report }) {
  const { m, f } = useI18n();
  const l = reportLanguage(iv, report);
  if (!l.code) return null;
  const name = f.language(l.code);
  return (
    <p class="muted report-language" data-language={l.code} data-detected={l.detected ? 'true' : 'false'}>
      {l.detected ? m.report.languageAuto(name, l.probability === null ? null : f.percent(l.probability)) : m.report.language(name)}
    </p>
  );
}

export function ReportView({ iv, report }: { iv: Interview; report: Report }) {
  const { m, f } = useI18n();
  const playhead = useMemo(() => new Playhead(), [iv.id]);
  const video = useRef<HTMLVideoElement>(null);
  const { duration, charts } = useMemo(() => reportCharts(report, m), [report, m]);
  const words = report.transcript?.words ?? [];
  const lang = reportLanguage(iv, report).code ?? undefined;

  useEffect(() => {
    const v = video.current;
    if (!v) return;
    let raf = 0;
    const tick = () => {
      playhead.set(v.currentTime);
      if (!v.paused && !v.ended) raf = requestAnimationFrame(tick);
    };
    const onTime = () => playhead.set(v.currentTime);
    const onPlay = () => {
      cancelAnimationFrame(raf);
      raf = requestAnimationFrame(tick);
    };
    v.addEventListener('timeupdate', onTime);
    v.addEventListener('seeked', onTime);
    v.addEventListener('play', onPlay);
    playhead.seekHandler = (t) => {
      v.currentTime = t;
    };
    return () => {
      cancelAnimationFrame(raf);
      v.removeEventListener('timeupdate', onTime);
      v.removeEventListener('seeked', onTime);
      v.removeEventListener('play', onPlay);
      playhead.seekHandler = null;
    };
  }, [playhead]);

  return (
    <div class="report">
      <header class="report-head">
        <div>
          <ReportHeading iv={iv} />
          <p class="question-text">{iv.question}</p>
          <p class="muted">{m.report.recorded(f.date(iv.created_at))}</p>
          <AnswerLanguage iv={iv} report={report} />
          <ReportTools iv={iv} />
        </div>
        <div class="overall">
          <span class="overall-label" id="overall-label">{m.report.overall}</span>
          <ScoreBadge score={report.score?.overall} label={m.report.overallScore} />
        </div>
      </header>

      <KeyFigures r={report} />

      <div class="watch">
        <div class="video-col no-print">
          {iv.video_url ? (
            <video id="report-video" ref={video} class="report-video" controls preload="metadata" playsInline
              poster={iv.poster_url ?? undefined} src={iv.video_url} aria-label={m.report.video} />
          ) : (
            <p class="muted">{m.report.noVideo}</p>
          )}
        </div>
        <section class="transcript-col" aria-labelledby="transcript-title">
          <h2 id="transcript-title">{m.report.transcript}</h2>
          <Transcript words={words} lang={lang} delivery={report.delivery} playhead={playhead} />
          <p class="hint transcript-source">{transcriptSource(report.transcript, m)}</p>
        </section>
      </div>
      <ReportComments iv={iv} report={report} playhead={playhead} />

      <section aria-labelledby="timeline-title" class="timeline">
        <h2 id="timeline-title">{m.report.timeline}</h2>
        <div class="charts">
          {charts.map((c) => <TimelineChart key={c.id} spec={c} duration={duration} playhead={playhead} />)}
        </div>
      </section>

      <Tips tips={report.tips ?? []} lang={lang} playhead={playhead} />
      <Parts score={report.score} />
      <Attempts iv={iv} />
      <div class="two-col">
        <Star r={report} playhead={playhead} />
        <TalkingPoints r={report} playhead={playhead} />
      </div>
      <AiReviewView r={report} playhead={playhead} />
      <OwnerOnly iv={iv}><p class="actions no-print">
        <a class="button" href={recordAgainHref(iv)}>{m.report.again}</a>{' '}
        <a class="button secondary" href="/history">{m.report.all}</a>
      </p></OwnerOnly>
    </div>
  );
}

export function ReportPage({ id }: { id: string }) {
  const { m } = useI18n();
  useTitle(m.report.pageTitle);
  const [iv, setIv] = useState<Interview | null>(null);
  const [error, setError] = useState<{ message: string; notFound: boolean } | null>(null);

  const load = () =>
    api.getInterview(id).then(setIv, (e) => {
      if (e instanceof ApiError && e.status === 401) return;
      setError({
        notFound: e instanceof ApiError && e.status === 404,
        message: e instanceof ApiError && e.status === 404 ? m.report.notFound : errorMessage(e, m),
      });
    });

  useEffect(() => {
    setIv(null);
    setError(null);
    load();
  }, [id]);

  if (error) {
    return (
      <div class="narrow">
        <h1>{error.notFound ? m.report.notFoundTitle : m.report.pageTitle}</h1>
        <ErrorBox error={error.message} />
        <p><a href="/history">{m.report.yourInterviews}</a></p>
      </div>
    );
  }
  if (!iv) return <Loading what={m.report.loading} />;

  if (iv.status === 'complete' && iv.report) return <ReportView iv={iv} report={iv.report} />;

  return (
    <div class="narrow-wide">
      <ReportHeading iv={iv} />
      <p class="question-text">{iv.question}</p>
      <OwnerOnly iv={iv} otherwise={<TheirStatus iv={iv} />}>
      {iv.status === 'created' && (
        <>
          <p>{m.report.status} <StatusBadge status={iv.status} /></p>
          <p>{m.report.noRecording} <a href={recordAgainHref(iv)}>{m.report.recordAnswer}</a>.</p>
        </>
      )}
      {(iv.status === 'uploaded' || iv.status === 'processing' || iv.status === 'failed') && (
        <LiveProgress interviewId={iv.id} onComplete={load}
          failedActions={<a class="button" href={recordAgainHref(iv)}>{m.record.newAttempt}</a>} />
      )}
      </OwnerOnly>
      {iv.status === 'complete' && !iv.report && <p>{m.report.missing}</p>}
    </div>
  );
}
