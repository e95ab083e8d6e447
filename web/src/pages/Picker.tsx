import { useMemo, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { api } from '../api';
import { ErrorBox, Loading, useTitle } from '../components/ui';
import { useList } from '../components/useList';
import type { Question } from '../types';

const CATEGORY_LABELS: Record<string, string> = {
  behavioural: 'Behavioural', technical: 'Technical', situational: 'Situational', general: 'General',
};
export const categoryLabel = (c: string) => CATEGORY_LABELS[c] ?? c;

export function filterQuestions(qs: Question[], f: { category: string; role: string; search: string }): Question[] {
  const words = f.search.toLowerCase().split(/\s+/).filter(Boolean);
  return qs.filter((q) => {
    if (f.category && q.category !== f.category) return false;
    if (f.role && q.role !== f.role) return false;
    const hay = `${q.text} ${q.talking_points.join(' ')} ${q.role} ${q.category}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

export function Picker() {
  useTitle('Choose a question');
  const { route } = useLocation();
  const { items: questions, error } = useList<Question>(() => api.listQuestions());
  const [category, setCategory] = useState('');
  const [role, setRole] = useState('');
  const [search, setSearch] = useState('');
  const [own, setOwn] = useState('');

  const categories = useMemo(() => [...new Set((questions ?? []).map((q) => q.category))].sort(), [questions]);
  const roles = useMemo(() => [...new Set((questions ?? []).map((q) => q.role))].sort(), [questions]);
  const shown = useMemo(() => filterQuestions(questions ?? [], { category, role, search }), [questions, category, role, search]);
  const groups = useMemo(() => {
    const m = new Map<string, Question[]>();
    for (const q of shown) m.set(q.category, [...(m.get(q.category) ?? []), q]);
    return [...m.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  }, [shown]);

  const submitOwn = (e: Event) => {
    e.preventDefault();
    const text = own.trim();
    if (text) route(`/record?question=${encodeURIComponent(text)}`);
  };

  return (
    <div>
      <h1>Choose a question</h1>
      <p class="muted">Pick a question from the bank, or type the one you expect. You will see yourself on camera before recording starts.</p>

      <form class="card form own-question" onSubmit={submitOwn}>
        <label for="own-question">Your own question</label>
        <div class="row">
          <input id="own-question" type="text" maxLength={1000} placeholder="e.g. Why do you want this job?"
            value={own} onInput={(e) => setOwn(e.currentTarget.value)} />
          <button type="submit" disabled={!own.trim()}>Practise it</button>
        </div>
      </form>

      <div class="filters" role="search">
        <div class="field">
          <label for="q-search">Search</label>
          <input id="q-search" type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="q-category">Category</label>
          <select id="q-category" value={category} onChange={(e) => setCategory(e.currentTarget.value)}>
            <option value="">All categories</option>
            {categories.map((c) => <option key={c} value={c}>{categoryLabel(c)}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="q-role">Role</label>
          <select id="q-role" value={role} onChange={(e) => setRole(e.currentTarget.value)}>
            <option value="">All roles</option>
            {roles.map((r) => <option key={r} value={r}>{r === 'any' ? 'Any role' : r}</option>)}
          </select>
        </div>
      </div>

      <ErrorBox error={error} />
      {!questions && !error && <Loading what="Loading questions…" />}
      {questions && (
        <p class="muted" role="status">{shown.length} of {questions.length} questions</p>
      )}
      {groups.map(([cat, qs]) => (
        <section key={cat} class="question-group" aria-labelledby={`cat-${cat}`}>
          <h2 id={`cat-${cat}`}>{categoryLabel(cat)}</h2>
          <ul class="questions">
            {qs.map((q) => (
              <li key={q.id} class="card question" data-question-id={q.id}>
                <p class="question-text">{q.text}</p>
                <p class="question-meta">
                  <span class="tag">{q.role === 'any' ? 'Any role' : q.role}</span>
                </p>
                {q.talking_points.length > 0 && (
                  <details>
                    <summary>Talking points</summary>
                    <ul>{q.talking_points.map((t) => <li key={t}>{t}</li>)}</ul>
                  </details>
                )}
                <a class="button" href={`/record?question_id=${encodeURIComponent(q.id)}`}
                  aria-label={`Practise: ${q.text}`}>Practise</a>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
