import { useMemo, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api } from '../api';
import { ErrorBox, Loading, useTitle } from '../components/ui';
import { useList } from '../components/useList';
import { lookup, type Messages } from '../i18n';
import { useI18n } from '../i18n/context';
import { matchLanguage } from '../lib/languages';
import type { Question } from '../types';

export const categoryLabel = (m: Messages, c: string) => lookup(m.picker.categories, c) ?? c;

export interface QuestionFilter {
  category: string;
  role: string;
  /** A language of the bank ('' for any). */
  language: string;
  search: string;
}

export function filterQuestions(qs: Question[], f: QuestionFilter): Question[] {
  const words = f.search.toLowerCase().split(/\s+/).filter(Boolean);
  return qs.filter((q) => {
    if (f.category && q.category !== f.category) return false;
    if (f.role && q.role !== f.role) return false;
    if (f.language && (q.language ?? '').toLowerCase() !== f.language.toLowerCase()) return false;
    const hay = `${q.text} ${q.talking_points.join(' ')} ${q.role} ${q.category}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

export function Picker() {
  const { m, f, lang } = useI18n();
  useTitle(m.picker.title);
  const { route } = useLocation();
  const { items: questions, error } = useList<Question>(() => api.listQuestions());
  const [category, setCategory] = useState('');
  const [role, setRole] = useState('');
  // null until the person chooses: the interface's language when the bank has it
  const [chosenLanguage, setLanguage] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [own, setOwn] = useState('');

  const categories = useMemo(() => [...new Set((questions ?? []).map((q) => q.category))].sort(), [questions]);
  const roles = useMemo(() => [...new Set((questions ?? []).map((q) => q.role))].sort(), [questions]);
  const languages = useMemo(
    () => [...new Set((questions ?? []).map((q) => q.language).filter((l): l is string => !!l))].sort(), [questions]);
  const language = chosenLanguage ?? (languages.length > 1 ? matchLanguage(lang, languages) ?? '' : '');
  const shown = useMemo(() => filterQuestions(questions ?? [], { category, role, language, search }),
    [questions, category, role, language, search]);
  const groups = useMemo(() => {
    const g = new Map<string, Question[]>();
    for (const q of shown) g.set(q.category, [...(g.get(q.category) ?? []), q]);
    return [...g.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  }, [shown]);
  const roleLabel = (r: string) => (r === 'any' ? m.picker.anyRole : r);

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
          <input id="q-search" type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
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

      <ErrorBox error={error} />
      {!questions && !error && <Loading what={m.picker.loading} />}
      {questions && (
        <p class="muted" role="status">{m.picker.shown(shown.length, questions.length)}</p>
      )}
      {groups.map(([cat, qs]) => (
        <section key={cat} class="question-group" aria-labelledby={`cat-${cat}`}>
          <h2 id={`cat-${cat}`}>{categoryLabel(m, cat)}</h2>
          <ul class="questions">
            {qs.map((q) => (
              <li key={q.id} class="card question" data-question-id={q.id}>
                <p class="question-text" lang={q.language}>{q.text}</p>
                <p class="question-meta">
                  <span class="tag">{roleLabel(q.role)}</span>
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
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
