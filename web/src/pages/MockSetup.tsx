import { useEffect, useMemo, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api, ENGLISH_ONLY } from '../api';
import { useAuth } from '../auth';
import { DataTable } from '../components/DataTable';
import { ErrorBox, Loading, useTitle } from '../components/ui';
import { useAction } from '../components/useAction';
import { useList } from '../components/useList';
import { lookup } from '../i18n';
import { useI18n } from '../i18n/context';
import { defaultInterviewLanguage } from '../lib/languages';
import {
  ANSWER_MAX_S, ANSWER_MIN_S, MOCK_MAX_QUESTIONS, PLAN_KINDS, mockPaths, THINKING_MAX_S, compactPlan, defaultPlan, mockTitle,
  planProblem, planTotal, roleName, secondsWithin,
} from '../lib/mock';
import { mockErrorMessage } from '../lib/mockErrors';
import {
  LEVELS, type Languages, type Level, type MockInterviewCreate, type MockInterviewSummary, type MockPlan, type Question,
} from '../types';
import { categoryLabel } from './Picker';
import '../mock.css';

/** Questions shown from one search (the rest: narrow the search). */
const SHOWN_RESULTS = 20;
const SEARCH_DELAY_MS = 250;

function MockList() {
  const { m, f } = useI18n();
  const t = m.mock.list;
  const { items, setItems, error, run } = useList<MockInterviewSummary>(() => api.listMocks());
  const [deleting, setDeleting] = useState<string | null>(null);

  const remove = (id: string) => run(async () => {
    await api.deleteMock(id);
    setDeleting(null);
    setItems((old) => (old ?? []).filter((x) => x.id !== id));
  });

  return (
    <section aria-labelledby="mock-list-title" class="mock-list">
      <h2 id="mock-list-title">{t.title}</h2>
      <ErrorBox error={error} />
      {!items && !error && <Loading what={t.loading} />}
      {items && items.length === 0 && <p class="muted">{t.none}</p>}
      {items && items.length > 0 && (
        <DataTable caption={t.caption} columns={[t.name, t.started, t.answered, t.status]} actions>
          {items.map((mk) => {
            const title = mockTitle(mk, m, f);
            const open = mk.status === 'in_progress' && mk.answered < mk.questions;
            return (
              <tr key={mk.id} data-mock-id={mk.id}>
                <td>{title}</td>
                <td>{f.date(mk.created_at)}</td>
                <td>{t.answeredOf(mk.answered, mk.questions)}</td>
                <td><span class={`status status-${mk.status}`}>{lookup(t.statuses, mk.status) ?? mk.status}</span></td>
                <td class="row-actions">
                  {deleting === mk.id ? (
                    <span class="confirm" role="group" aria-label={t.confirm}>
                      <span>{t.confirmText}</span>
                      <button type="button" class="danger small" onClick={() => remove(mk.id)}>{m.common.delete}</button>
                      <button type="button" class="secondary small" onClick={() => setDeleting(null)}>{m.common.keep}</button>
                    </span>
                  ) : (
                    <>
                      {open && <a class="button small" href={mockPaths.run(mk.id)} aria-label={t.continueLabel(title)}>{t.continue}</a>}{' '}
                      <a class={`button small ${open ? 'secondary' : ''}`} href={mockPaths.report(mk.id)}
                        aria-label={t.reportLabel(title)}>{t.report}</a>{' '}
                      <button type="button" class="secondary small" onClick={() => setDeleting(mk.id)}
                        aria-label={t.deleteLabel(title)}>{m.common.delete}</button>
                    </>
                  )}
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
    </section>
  );
}

/** Search the bank (the server filters) and keep an ordered list of chosen questions. */
function ChooseQuestions({ language, chosen, setChosen }: {
  language: string | null; chosen: Question[]; setChosen: (qs: Question[]) => void;
}) {
  const { m } = useI18n();
  const t = m.mock.setup;
  const [search, setSearch] = useState('');
  const [level, setLevel] = useState<Level | ''>('');
  const [found, setFound] = useState<Question[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let stale = false;
    const timer = window.setTimeout(() => {
      api.listQuestions({ q: search, level, language: language ?? undefined }).then(
        (qs) => { if (!stale) { setFound(qs); setError(null); } },
        (e) => { if (!stale) setError(mockErrorMessage(e, m)); },
      );
    }, search ? SEARCH_DELAY_MS : 0);
    return () => { stale = true; window.clearTimeout(timer); };
  }, [search, level, language]);

  const ids = new Set(chosen.map((q) => q.id));
  const add = (q: Question) => {
    if (!ids.has(q.id) && chosen.length < MOCK_MAX_QUESTIONS) setChosen([...chosen, q]);
  };
  const remove = (id: string) => setChosen(chosen.filter((q) => q.id !== id));
  const up = (i: number) => {
    if (i <= 0) return;
    const next = [...chosen];
    [next[i - 1], next[i]] = [next[i], next[i - 1]];
    setChosen(next);
  };
  const shown = (found ?? []).slice(0, SHOWN_RESULTS);

  return (
    <div class="choose">
      <div class="filters" role="search">
        <div class="field">
          <label for="mock-search">{t.search}</label>
          <input id="mock-search" type="search" maxLength={200} value={search} aria-describedby="mock-search-hint"
            onInput={(e) => setSearch(e.currentTarget.value)} />
          <p id="mock-search-hint" class="hint">{t.searchHint}</p>
        </div>
        <div class="field">
          <label for="mock-search-level">{m.bank.level}</label>
          <select id="mock-search-level" value={level} onChange={(e) => setLevel(e.currentTarget.value as Level | '')}>
            <option value="">{m.bank.allLevels}</option>
            {LEVELS.filter((l) => l !== 'any').map((l) => <option key={l} value={l}>{m.mock.levels[l]}</option>)}
          </select>
        </div>
      </div>
      <ErrorBox error={error} />
      {found && <p class="muted" role="status">{t.results(found.length)}</p>}
      {found && found.length === 0 && <p class="muted">{t.noResults}</p>}
      {shown.length > 0 && (
        <ul class="bank-results">
          {shown.map((q) => (
            <li key={q.id} data-question-id={q.id}>
              <span class="bank-q">
                <span lang={q.language}>{q.text}</span>
                <span class="question-meta">
                  <span class="tag">{categoryLabel(m, q.category)}</span>{' '}
                  {q.level && q.level !== 'any' && <span class="tag">{m.mock.levels[q.level]}</span>}
                </span>
              </span>
              <button type="button" class="secondary small" onClick={() => add(q)} aria-label={t.addLabel(q.text)}
                disabled={ids.has(q.id) || chosen.length >= MOCK_MAX_QUESTIONS}>
                {ids.has(q.id) ? t.added : t.add}
              </button>
            </li>
          ))}
        </ul>
      )}
      {found && found.length > SHOWN_RESULTS && <p class="hint">{t.moreResults(SHOWN_RESULTS)}</p>}

      <h3 id="chosen-title">{t.chosen}</h3>
      <p class="muted" role="status">{chosen.length ? t.chosenCount(chosen.length, MOCK_MAX_QUESTIONS) : t.noneChosen}</p>
      {chosen.length > 0 && (
        <ol class="chosen" aria-labelledby="chosen-title">
          {chosen.map((q, i) => (
            <li key={q.id} data-question-id={q.id}>
              <span class="bank-q" lang={q.language}>{q.text}</span>
              <span class="row-actions">
                {i > 0 && (
                  <button type="button" class="secondary small" onClick={() => up(i)} aria-label={t.upLabel(q.text)}>{t.up}</button>
                )}{' '}
                <button type="button" class="secondary small" onClick={() => remove(q.id)} aria-label={t.removeLabel(q.text)}>
                  {t.remove}
                </button>
              </span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

export function MockSetup() {
  const { m, f, lang } = useI18n();
  const t = m.mock.setup;
  useTitle(m.mock.pageTitle);
  const { route } = useLocation();
  const { me } = useAuth();
  const answerCap = Math.min(ANSWER_MAX_S, me?.limits?.max_duration_s ?? ANSWER_MAX_S);

  const [langs, setLangs] = useState<Languages | null>(null);
  const [bank, setBank] = useState<Question[] | null>(null);
  const [mode, setMode] = useState<'draw' | 'choose'>('draw');
  const [role, setRole] = useState('');
  const [level, setLevel] = useState<Level>('any');
  const [count, setCount] = useState(4);
  const [plan, setPlan] = useState<MockPlan>(() => defaultPlan(4, false));
  const [chosen, setChosen] = useState<Question[]>([]);
  const [chosenLanguage, setLanguage] = useState<string | null>(null);
  const [thinking, setThinking] = useState('30');
  const [answerMax, setAnswerMax] = useState(String(Math.min(120, answerCap)));
  const [title, setTitle] = useState('');
  const action = useAction();

  useEffect(() => {
    api.languages().then(setLangs, () => setLangs(ENGLISH_ONLY));
    api.listQuestions().then(setBank, (e) => action.setError(mockErrorMessage(e, m)));
  }, []);

  const language = langs ? chosenLanguage ?? defaultInterviewLanguage(langs, null, lang) : null;
  const roles = useMemo(() => [...new Set((bank ?? [])
    .filter((q) => !language || !q.language || q.language.toLowerCase() === language.toLowerCase())
    .map((q) => q.role).filter((r) => r && r !== 'any'))].sort(), [bank, language]);

  const chooseRole = (r: string) => {
    setRole(r);
    setPlan(defaultPlan(count, !!r));
  };
  const chooseCount = (n: number) => {
    setCount(n);
    setPlan(defaultPlan(n, !!role));
  };
  const setKind = (k: keyof MockPlan, text: string) => {
    const n = Math.max(0, Math.min(MOCK_MAX_QUESTIONS, Math.round(Number(text) || 0)));
    const next = { ...plan, [k]: n };
    setPlan(next);
    const total = planTotal(next);
    if (total >= 1 && total <= MOCK_MAX_QUESTIONS) setCount(total);
  };

  const problem = mode === 'draw' ? planProblem(plan, !!role) : null;
  const problemText = problem === 'too_many' ? t.problems.too_many(MOCK_MAX_QUESTIONS) : problem ? t.problems[problem] : null;
  const summary = t.mixSummary(planTotal(plan),
    PLAN_KINDS.filter((k) => (plan[k] ?? 0) > 0).map((k) => t.kindCounts[k](plan[k]!)));

  const submit = (e: Event) => {
    e.preventDefault();
    const thinkingS = secondsWithin(thinking, 0, THINKING_MAX_S);
    const answerS = secondsWithin(answerMax, ANSWER_MIN_S, answerCap);
    if (thinkingS === null) return action.setError(t.invalidSeconds(t.thinking, 0, THINKING_MAX_S));
    if (answerS === null) return action.setError(t.invalidSeconds(t.answerMax, ANSWER_MIN_S, answerCap));
    if (problemText) return action.setError(problemText);
    if (mode === 'choose' && chosen.length === 0) return action.setError(t.noneChosen);
    const body: MockInterviewCreate = { thinking_s: thinkingS, answer_max_s: answerS };
    if (title.trim()) body.title = title.trim();
    if (langs?.perInterview && language) body.language = language;
    if (mode === 'choose') body.question_ids = chosen.map((q) => q.id);
    else {
      body.plan = compactPlan(plan);
      if (role) body.role = role;
      if (level !== 'any') body.level = level;
    }
    action.run(async () => {
      try {
        const mk = await api.createMock(body);
        route(mockPaths.run(mk.id));
      } catch (err) {
        throw new Error(mockErrorMessage(err, m));
      }
    });
  };

  return (
    <div class="mock-setup">
      <h1>{m.mock.title}</h1>
      <p class="muted">{m.mock.intro}</p>

      <form class="card form" onSubmit={submit} aria-labelledby="mock-setup-title" noValidate>
        <h2 id="mock-setup-title">{t.title}</h2>
        <fieldset class="choice">
          <legend>{t.source}</legend>
          <label class="radio">
            <input type="radio" name="mock-source" value="draw" checked={mode === 'draw'} onChange={() => setMode('draw')} />
            {t.draw}
          </label>
          <label class="radio">
            <input type="radio" name="mock-source" value="choose" checked={mode === 'choose'} onChange={() => setMode('choose')} />
            {t.choose}
          </label>
        </fieldset>

        {langs && language && langs.perInterview && langs.languages.length > 1 && (
          <div class="field">
            <label for="mock-language">{t.language}</label>
            <select id="mock-language" value={language} aria-describedby="mock-language-hint"
              onChange={(e) => setLanguage(e.currentTarget.value)}>
              {langs.languages.map((l) => <option key={l.code} value={l.code}>{f.language(l.code)}</option>)}
            </select>
            <p id="mock-language-hint" class="hint">{t.languageHint}</p>
          </div>
        )}

        {mode === 'draw' ? (
          <div class="draw">
            <div class="grid3">
              <div class="field">
                <label for="mock-role">{t.role}</label>
                <select id="mock-role" value={role} onChange={(e) => chooseRole(e.currentTarget.value)}>
                  <option value="">{t.anyRole}</option>
                  {roles.map((r) => <option key={r} value={r}>{roleName(r)}</option>)}
                </select>
              </div>
              <div class="field">
                <label for="mock-level">{t.level}</label>
                <select id="mock-level" value={level} onChange={(e) => setLevel(e.currentTarget.value as Level)}>
                  {LEVELS.map((l) => <option key={l} value={l}>{m.mock.levels[l]}</option>)}
                </select>
              </div>
              <div class="field">
                <label for="mock-count">{t.count}</label>
                <select id="mock-count" value={String(count)} onChange={(e) => chooseCount(Number(e.currentTarget.value))}>
                  {Array.from({ length: MOCK_MAX_QUESTIONS }, (_, i) => i + 1).map((n) => (
                    <option key={n} value={String(n)}>{f.number(n)}</option>
                  ))}
                </select>
              </div>
            </div>
            <p class="muted" role="status" data-testid="mock-plan">{summary}</p>
            <details class="mix">
              <summary>{t.mix}</summary>
              <p class="hint">{t.mixHint}</p>
              <div class="grid3">
                {PLAN_KINDS.map((k) => (
                  <div class="field narrow-field" key={k}>
                    <label for={`mock-kind-${k}`}>{t.kinds[k]}</label>
                    <input id={`mock-kind-${k}`} type="number" min={0} max={MOCK_MAX_QUESTIONS} step={1}
                      value={String(plan[k] ?? 0)} disabled={k === 'role' && !role}
                      onInput={(e) => setKind(k, e.currentTarget.value)} />
                  </div>
                ))}
              </div>
            </details>
            {problemText && <p class="hint warn">{problemText}</p>}
          </div>
        ) : (
          <ChooseQuestions language={langs?.perInterview ? language : null} chosen={chosen} setChosen={setChosen} />
        )}

        <div class="grid3">
          <div class="field">
            <label for="mock-thinking">{t.thinking}</label>
            <input id="mock-thinking" type="number" inputMode="numeric" min={0} max={THINKING_MAX_S} step={1} required
              value={thinking} aria-describedby="mock-thinking-hint" onInput={(e) => setThinking(e.currentTarget.value)} />
            <p id="mock-thinking-hint" class="hint">{t.thinkingHint(THINKING_MAX_S)}</p>
          </div>
          <div class="field">
            <label for="mock-answer-max">{t.answerMax}</label>
            <input id="mock-answer-max" type="number" inputMode="numeric" min={ANSWER_MIN_S} max={answerCap} step={1} required
              value={answerMax} aria-describedby="mock-answer-max-hint" onInput={(e) => setAnswerMax(e.currentTarget.value)} />
            <p id="mock-answer-max-hint" class="hint">{t.answerMaxHint(ANSWER_MIN_S, answerCap)}</p>
          </div>
          <div class="field">
            <label for="mock-title">{t.titleField}</label>
            <input id="mock-title" type="text" maxLength={200} value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
          </div>
        </div>
        <button type="submit" disabled={action.busy}>{action.busy ? t.busy : t.submit}</button>
        <ErrorBox error={action.error} />
      </form>

      <MockList />
    </div>
  );
}
