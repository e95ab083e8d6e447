import { useEffect, useMemo, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api } from '../api';
import { useAuth } from '../auth';
import { ErrorBox, Loading, useTitle } from '../components/ui';
import { useList } from '../components/useList';
import { lookup, type Messages } from '../i18n';
import { useI18n } from '../i18n/context';
import { matchLanguage } from '../lib/languages';
import { roleName } from '../lib/mock';
import { mockErrorMessage } from '../lib/mockErrors';
import { isOwnOrganisation } from '../lib/questions';
import { LEVELS, type Level, type Question } from '../types';

export const categoryLabel = (m: Messages, c: string) => lookup(m.picker.categories, c) ?? c;

/** How long typing rests before the bank is searched, ms. */
const SEARCH_DELAY_MS = 250;

export function Picker() {
  const { m, f, lang } = useI18n();
  useTitle(m.picker.title);
  const { route } = useLocation();
  const { me } = useAuth();
  const { items: questions, error } = useList<Question>(() => api.listQuestions());
  const [category, setCategory] = useState('');
  const [role, setRole] = useState('');
  // null until the person chooses: the interface's language when the bank has it
  const [chosenLanguage, setLanguage] = useState<string | null>(null);
  const [level, setLevel] = useState<Level | ''>('');
  const [search, setSearch] = useState('');
  const [own, setOwn] = useState('');
  // the questions the server finds for the filters (null: none asked yet, the whole bank is shown)
  const [found, setFound] = useState<{ key: string; questions: Question[] } | null>(null);
  const [searchError, setSearchError] = useState<string | null>(null);

  const categories = useMemo(() => [...new Set((questions ?? []).map((q) => q.category))].sort(), [questions]);
  const roles = useMemo(() => [...new Set((questions ?? []).map((q) => q.role))].sort(), [questions]);
  const languages = useMemo(
    () => [...new Set((questions ?? []).map((q) => q.language).filter((l): l is string => !!l))].sort(), [questions]);
  const language = chosenLanguage ?? (languages.length > 1 ? matchLanguage(lang, languages) ?? '' : '');
  const filtered = !!(category || role || level || language || search.trim());
  const key = JSON.stringify([search.trim(), category, role, level, language]);

  // the server searches and filters: every word in the text or talking points, the level's and any level's questions
  useEffect(() => {
    if (!filtered) return;
    let stale = false;
    const timer = window.setTimeout(() => {
      api.listQuestions({ q: search, category, role, level, language }).then(
        (qs) => { if (!stale) { setFound({ key, questions: qs }); setSearchError(null); } },
        (e) => { if (!stale) setSearchError(mockErrorMessage(e, m)); },
      );
    }, search.trim() ? SEARCH_DELAY_MS : 0);
    return () => { stale = true; window.clearTimeout(timer); };
  }, [key]);

  // while the server searches, the last answer stays on screen
  const shown = filtered ? found?.questions ?? [] : questions ?? [];
  const searching = filtered && found?.key !== key;
  const groups = useMemo(() => {
    const g = new Map<string, Question[]>();
    for (const q of shown) g.set(q.category, [...(g.get(q.category) ?? []), q]);
    return [...g.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  }, [shown]);
  const roleLabel = (r: string) => (r === 'any' ? m.picker.anyRole : roleName(r));

  const submitOwn = (e: Event) => {
    e.preventDefault();
    const text = own.trim();
    if (text) route(`/record?question=${encodeURIComponent(text)}`);
  };

  return (
    <div>
      <h1>{m.picker.title}</h1>
      <p class="muted">{m.picker.intro}</p>

      <form class="card form own-question" onSubmit={submitOwn}>
        <label for="own-question">{m.picker.own}</label>
        <div class="row">
          <input id="own-question" type="text" maxLength={1000} placeholder={m.picker.ownPlaceholder}
            value={own} onInput={(e) => setOwn(e.currentTarget.value)} />
          <button type="submit" disabled={!own.trim()}>{m.picker.ownSubmit}</button>
        </div>
      </form>

      <div class="filters" role="search">
        <div class="field">
          <label for="q-search">{m.picker.search}</label>
          <input id="q-search" type="search" maxLength={200} value={search} aria-describedby="q-search-hint"
            onInput={(e) => setSearch(e.currentTarget.value)} />
          <p id="q-search-hint" class="hint">{m.bank.searchHint}</p>
        </div>
        <div class="field">
          <label for="q-category">{m.common.category}</label>
          <select id="q-category" value={category} onChange={(e) => setCategory(e.currentTarget.value)}>
            <option value="">{m.picker.allCategories}</option>
            {categories.map((c) => <option key={c} value={c}>{categoryLabel(m, c)}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="q-role">{m.picker.role}</label>
          <select id="q-role" value={role} onChange={(e) => setRole(e.currentTarget.value)}>
            <option value="">{m.picker.allRoles}</option>
            {roles.map((r) => <option key={r} value={r}>{roleLabel(r)}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="q-level">{m.bank.level}</label>
          <select id="q-level" value={level} onChange={(e) => setLevel(e.currentTarget.value as Level | '')}>
            <option value="">{m.bank.allLevels}</option>
            {LEVELS.filter((l) => l !== 'any').map((l) => <option key={l} value={l}>{m.mock.levels[l]}</option>)}
          </select>
        </div>
        {languages.length > 1 && (
          <div class="field">
            <label for="q-language">{m.picker.language}</label>
            <select id="q-language" value={language} onChange={(e) => setLanguage(e.currentTarget.value)}>
              <option value="">{m.picker.allLanguages}</option>
              {languages.map((l) => <option key={l} value={l}>{f.language(l)}</option>)}
            </select>
          </div>
        )}
      </div>

      <ErrorBox error={error ?? searchError} />
      {!questions && !error && <Loading what={m.picker.loading} />}
      {questions && (
        <p class="muted" role="status" data-testid="picker-count">
          {searching ? m.bank.searching : m.picker.shown(shown.length, questions.length)}
        </p>
      )}
      {groups.map(([cat, qs]) => (
        <section key={cat} class="question-group" aria-labelledby={`cat-${cat}`}>
          <h2 id={`cat-${cat}`}>{categoryLabel(m, cat)}</h2>
          <ul class="questions">
            {qs.map((q) => {
              const ours = isOwnOrganisation(q, me);
              return (
                <li key={q.id} class="card question" data-question-id={q.id} data-organisation={ours ? 'own' : undefined}>
                  <p class="question-text" lang={q.language}>{q.text}</p>
                  <p class="question-meta">
                    {ours && <><span class="tag tag-org" title={me?.organisation?.name}>{m.picker.ownOrganisation}</span>{' '}</>}
                    <span class="tag">{roleLabel(q.role)}</span>{' '}
                    {q.level && q.level !== 'any' && <><span class="tag">{m.mock.levels[q.level]}</span>{' '}</>}
                    {languages.length > 1 && q.language && <span class="tag">{f.language(q.language)}</span>}
                  </p>
                  {q.talking_points.length > 0 && (
                    <details>
                      <summary>{m.picker.talkingPoints}</summary>
                      <ul lang={q.language}>{q.talking_points.map((t) => <li key={t}>{t}</li>)}</ul>
                    </details>
                  )}
                  <a class="button" href={`/record?question_id=${encodeURIComponent(q.id)}`}
                    aria-label={m.picker.practiseLabel(q.text)}>{m.picker.practise}</a>
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </div>
  );
}
