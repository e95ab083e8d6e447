import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError, errorMessage } from '../api';
import { DataTable } from '../components/DataTable';
import { ErrorBox, Loading, ScoreBadge, StatusBadge, useTitle } from '../components/ui';
import { LiveProgress } from '../components/LiveProgress';
import { Playhead } from '../components/playhead';
import { TimelineChart } from '../components/TimelineChart';
import { Transcript } from '../components/Transcript';
import { transcriptSource } from '../lib/transcript';
import { reportCharts } from '../lib/charts';
import {
  METRICS, PART_LABELS, formatClock, formatDate, formatNumber, formatPercent, formatScore, metricLabel,
} from '../lib/format';
import type { AiClaim, Interview, Report, ScorePart, StarPart, Tip } from '../types';

function recordAgainHref(iv: Pick<Interview, 'question' | 'question_id'>): string {
  return iv.question_id
    ? `/record?question_id=${encodeURIComponent(iv.question_id)}`
    : `/record?question=${encodeURIComponent(iv.question)}`;
}

function JumpButton({ t, playhead, label }: { t: number; playhead: Playhead; label?: string }) {
  return (
    <button type="button" class="link jump" data-t={t} onClick={() => {
      playhead.seek(t);
      document.getElementById('report-video')?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    }}>
      {label ?? `Jump to ${formatClock(t)}`}
    </button>
  );
}

function Parts({ score }: { score: Report['score'] }) {
  const parts = score?.parts ?? {};
  const keys = (['delivery', 'content', 'on_camera'] as const).filter((k) => parts[k]);
  if (keys.length === 0) return null;
  return (
    <section aria-labelledby="scores-title" class="scores">
      <h2 id="scores-title">Scores</h2>
      <div class="parts">
        {keys.map((k) => <PartCard key={k} name={k} part={parts[k]!} />)}
      </div>
      {(score?.notes ?? []).length > 0 && <ul class="notes">{score!.notes!.map((n) => <li key={n}>{n}</li>)}</ul>}
      {score?.rubric && <p class="hint">Scored with rubric {score.rubric}.</p>}
    </section>
  );
}

function PartCard({ name, part }: { name: string; part: ScorePart }) {
  const label = PART_LABELS[name] ?? name;
  return (
    <article class="card part" data-part={name}>
      <header class="part-head">
        <h3>{label}</h3>
        <ScoreBadge score={part.score} label={`${label} score`} />
      </header>
      {typeof part.weight === 'number' && <p class="hint">{formatPercent(part.weight)} of the overall score</p>}
      {part.reason && <p class="muted">{part.reason}</p>}
      {(part.criteria ?? []).length > 0 && (
        <DataTable class="criteria" caption={`${label} criteria`} columns={['Criterion', 'Value', 'Score', 'Weight']}>
          {part.criteria!.map((c) => (
            <tr key={c.metric}>
              <th scope="row">
                {metricLabel(c.metric)}
                <span class="what">{METRICS[c.metric]?.what ?? c.metric}</span>
                {c.reason && <span class="what">Not scored: {c.reason}</span>}
              </th>
              <td>{formatNumber(c.value)}</td>
              <td>{c.score === null ? 'n/a' : formatScore(c.score)}</td>
              <td>{typeof c.weight === 'number' ? formatPercent(c.weight) : '–'}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </article>
  );
}

function Tips({ tips, playhead }: { tips: Tip[]; playhead: Playhead }) {
  if (tips.length === 0) return null;
  return (
    <section aria-labelledby="tips-title">
      <h2 id="tips-title">Tips</h2>
      <ol class="tips">
        {tips.map((tip, i) => {
          const ev = (tip.evidence ?? []).filter((e) => typeof e.start === 'number');
          return (
            <li key={i} class="card tip" data-metric={tip.metric} data-start={ev[0]?.start}>
              <p class="tip-part">{PART_LABELS[tip.part ?? ''] ?? tip.part} · {metricLabel(tip.metric)}</p>
              <p>{tip.message}</p>
              {ev.length > 0 && (
                <>
                  <button type="button" class="jump-tip" onClick={() => {
                    playhead.seek(ev[0].start);
                    document.getElementById('report-video')?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
                  }}>
                    Jump to this moment ({formatClock(ev[0].start)})
                  </button>
                  <details>
                    <summary>Evidence ({ev.length})</summary>
                    <ul class="evidence">
                      {ev.map((e, j) => (
                        <li key={j}>
                          <JumpButton t={e.start} playhead={playhead} label={`${formatClock(e.start)}–${formatClock(e.end)}`} />{' '}
                          {e.detail}{e.words ? ` (“${e.words}”)` : ''}
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
  const star = r.delivery?.star;
  if (!star) return null;
  return (
    <section aria-labelledby="star-title" class="card">
      <h2 id="star-title">STAR structure</h2>
      <p class="muted">
        {star.present ?? 0} of 4 parts found{star.order ? `, in the order ${star.order}` : ''}
        {star.in_order === false ? ' (out of order)' : ''}.
      </p>
      <DataTable columns={['Part', 'Found', 'Share of answer', 'First at']}>
        {STAR_NAMES.map((n) => {
          const p: StarPart = star[n] ?? {};
          const found = (p.cues ?? []).length > 0 || typeof p.first_s === 'number';
          return (
            <tr key={n}>
              <th scope="row">{n[0].toUpperCase() + n.slice(1)}</th>
              <td>{found ? `Yes${p.cues?.length ? ` (“${p.cues.map((c) => c.cue).join('”, “')}”)` : ''}` : 'Not found'}</td>
              <td>{formatPercent(p.share)}</td>
              <td>{typeof p.first_s === 'number' ? <JumpButton t={p.first_s} playhead={playhead} label={formatClock(p.first_s)} /> : '–'}</td>
            </tr>
          );
        })}
      </DataTable>
    </section>
  );
}

function TalkingPoints({ r, playhead }: { r: Report; playhead: Playhead }) {
  const rel = r.relevance;
  if (!rel) return null;
  const points = rel.talking_points ?? [];
  return (
    <section aria-labelledby="points-title" class="card">
      <h2 id="points-title">Talking points</h2>
      <p class="muted">
        Similarity to the {rel.source ?? 'question'}: {formatPercent(rel.similarity)}
        {typeof rel.covered_share === 'number' ? `; points covered: ${formatPercent(rel.covered_share)}` : ''}.
      </p>
      {points.length === 0 ? (
        <p class="muted">This question has no talking points in the bank.</p>
      ) : (
        <ul class="points">
          {points.map((p) => (
            <li key={p.text} class={p.covered ? 'covered' : 'missed'}>
              <span class="pt-icon" aria-hidden="true">{p.covered ? '✓' : '✗'}</span>
              <span class="sr-only">{p.covered ? 'Covered:' : 'Not covered:'}</span> {p.text}
              {(p.matched ?? []).length > 0 && (
                <span class="hint"> — said: {p.matched!.map((m, i) => (
                  <span key={m.term}>{i > 0 && ', '}<JumpButton t={m.start} playhead={playhead} label={m.term} /></span>
                ))}</span>
              )}
              {(p.missing ?? []).length > 0 && <span class="hint"> — missing: {p.missing!.join(', ')}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Claims({ title, claims, playhead }: { title: string; claims: AiClaim[]; playhead: Playhead }) {
  if (claims.length === 0) return null;
  return (
    <>
      <h3>{title}</h3>
      <ul>
        {claims.map((c, i) => (
          <li key={i}>
            {c.claim}{' '}
            {(c.spans ?? []).map((s, j) => (
              <JumpButton key={j} t={s.start} playhead={playhead} label={`(${formatClock(s.start)})`} />
            ))}
          </li>
        ))}
      </ul>
    </>
  );
}

function AiReviewView({ r, playhead }: { r: Report; playhead: Playhead }) {
  const ai = r.ai_review;
  if (!ai) return null;
  return (
    <section aria-labelledby="ai-title" class="card">
      <h2 id="ai-title">AI review</h2>
      {ai.status !== 'ok' ? (
        <p class="muted">The AI review is not available for this answer{ai.reason ? `: ${ai.reason}` : ''}. The score and tips above do not depend on it.</p>
      ) : (
        <>
          {ai.model && <p class="hint">By {ai.model}; it never changes the score.</p>}
          <Claims title="Strengths" claims={ai.strengths ?? []} playhead={playhead} />
          <Claims title="To improve" claims={ai.improvements ?? []} playhead={playhead} />
          {(ai.outline ?? []).length > 0 && (
            <>
              <h3>A stronger outline</h3>
              <ol>{ai.outline!.map((o, i) => <li key={i}>{o}</li>)}</ol>
            </>
          )}
        </>
      )}
    </section>
  );
}

function KeyFigures({ r }: { r: Report }) {
  const d = r.delivery ?? {};
  const items: [string, string][] = [
    ['Length', formatClock(r.media?.duration_s ?? r.duration_s ?? d.duration_s ?? 0)],
    ['Words', formatNumber(d.word_count)],
    ['Pace', d.wpm ? `${Math.round(d.wpm)} wpm` : '–'],
    ['Fillers', formatNumber(d.filler_count ?? d.fillers?.length)],
    ['Hedges', formatNumber(d.hedges?.count)],
    ['Pauses', formatNumber(d.pauses?.count)],
  ];
  return (
    <dl class="figures">
      {items.map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{v}</dd></div>)}
    </dl>
  );
}

export function ReportView({ iv, report }: { iv: Interview; report: Report }) {
  const playhead = useMemo(() => new Playhead(), [iv.id]);
  const video = useRef<HTMLVideoElement>(null);
  const { duration, charts } = useMemo(() => reportCharts(report), [report]);
  const words = report.transcript?.words ?? [];

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
          <h1>Your feedback</h1>
          <p class="question-text">{iv.question}</p>
          <p class="muted">Recorded {formatDate(iv.created_at)}</p>
        </div>
        <div class="overall">
          <span class="overall-label" id="overall-label">Overall</span>
          <ScoreBadge score={report.score?.overall} label="Overall score" />
        </div>
      </header>

      <KeyFigures r={report} />

      <div class="watch">
        <div class="video-col">
          {iv.video_url ? (
            <video id="report-video" ref={video} class="report-video" controls preload="metadata" playsInline
              poster={iv.poster_url ?? undefined} src={iv.video_url} aria-label="Your recorded answer" />
          ) : (
            <p class="muted">The video is not available.</p>
          )}
        </div>
        <section class="transcript-col" aria-labelledby="transcript-title">
          <h2 id="transcript-title">Transcript</h2>
          <Transcript words={words} delivery={report.delivery} playhead={playhead} />
          <p class="hint transcript-source">{transcriptSource(report.transcript)}</p>
        </section>
      </div>

      <section aria-labelledby="timeline-title" class="timeline">
        <h2 id="timeline-title">Timeline</h2>
        <div class="charts">
          {charts.map((c) => <TimelineChart key={c.id} spec={c} duration={duration} playhead={playhead} />)}
        </div>
      </section>

      <Tips tips={report.tips ?? []} playhead={playhead} />
      <Parts score={report.score} />
      <div class="two-col">
        <Star r={report} playhead={playhead} />
        <TalkingPoints r={report} playhead={playhead} />
      </div>
      <AiReviewView r={report} playhead={playhead} />
      <p class="actions">
        <a class="button" href={recordAgainHref(iv)}>Practise this question again</a>{' '}
        <a class="button secondary" href="/history">All interviews</a>
      </p>
    </div>
  );
}

export function ReportPage({ id }: { id: string }) {
  useTitle('Report');
  const [iv, setIv] = useState<Interview | null>(null);
  const [error, setError] = useState<{ message: string; notFound: boolean } | null>(null);

  const load = () =>
    api.getInterview(id).then(setIv, (e) => {
      if (e instanceof ApiError && e.status === 401) return;
      setError({
        notFound: e instanceof ApiError && e.status === 404,
        message: e instanceof ApiError && e.status === 404 ? 'Interview not found. It may have been deleted, or it belongs to someone else.' : errorMessage(e),
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
        <h1>{error.notFound ? 'Not found' : 'Report'}</h1>
        <ErrorBox error={error.message} />
        <p><a href="/history">Your interviews</a></p>
      </div>
    );
  }
  if (!iv) return <Loading what="Loading the report…" />;

  if (iv.status === 'complete' && iv.report) return <ReportView iv={iv} report={iv.report} />;

  return (
    <div class="narrow-wide">
      <h1>Your feedback</h1>
      <p class="question-text">{iv.question}</p>
      {iv.status === 'created' && (
        <>
          <p>Status: <StatusBadge status={iv.status} /></p>
          <p>No recording was uploaded for this interview. <a href={recordAgainHref(iv)}>Record an answer</a>.</p>
        </>
      )}
      {(iv.status === 'uploaded' || iv.status === 'processing' || iv.status === 'failed') && (
        <LiveProgress interviewId={iv.id} onComplete={load}
          failedActions={<a class="button" href={recordAgainHref(iv)}>Record a new attempt</a>} />
      )}
      {iv.status === 'complete' && !iv.report && <p>The report is missing. Try reloading the page.</p>}
    </div>
  );
}
