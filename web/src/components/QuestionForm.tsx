// The form that adds or edits a bank question: on the admin page (any
// question, with its organisation) and on the coaching page (a coach's
// organisation's own questions, which the server makes theirs).

import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { useI18n } from '../i18n/context';
import {
  CATEGORIES, EMPTY_QUESTION_FORM, organisationChoices, questionBody, questionFormOf, starShown, type QuestionFormState,
} from '../lib/questions';
import { categoryLabel } from '../pages/Picker';
import { LEVELS, type Languages, type Level, type Question, type Ref } from '../types';

interface QuestionFormProps {
  /** The question being edited; null: a new one. */
  editing: Question | null;
  langs: Languages;
  /** Administrators: the organisations a question may belong to (a select, the shared bank first); absent: no choice. */
  organisations?: Ref[] | null;
  /** Said under the heading (a coach: whom the question is offered to). */
  note?: string;
  /** Runs the save, showing a failure where the list's errors show (useList's run). */
  run: (action: () => Promise<unknown>) => Promise<void>;
  /** After a save: stop editing and load the list again. */
  onSaved: () => void;
  onCancel: () => void;
}

export function QuestionForm({ editing, langs, organisations, note, run, onSaved, onCancel }: QuestionFormProps) {
  const { m, f } = useI18n();
  const t = m.admin.questions;
  const codes = langs.languages.map((l) => l.code);
  // The fields are the question being edited until the first change: derived
  // in the same render as the "Edit" heading, never a frame of empty fields
  // (filled by an effect, they arrived one render after the heading).
  const key = editing?.id ?? null;
  const [draft, setDraft] = useState<{ key: string | null; form: QuestionFormState }>({ key: null, form: EMPTY_QUESTION_FORM });
  const form = draft.key === key ? draft.form : editing ? questionFormOf(editing, codes) : EMPTY_QUESTION_FORM;
  const [saved, setSaved] = useState('');
  const set = (change: Partial<QuestionFormState>) => setDraft({ key, form: { ...form, ...change } });

  useEffect(() => {
    if (!editing) {
      setDraft({ key: null, form: EMPTY_QUESTION_FORM }); // an edit left behind is not kept for next time
      return;
    }
    setSaved('');
    document.getElementById('question-form')?.scrollIntoView({ block: 'start' });
  }, [editing]);

  const save = (e: Event) => {
    e.preventDefault();
    const body = questionBody(form, { langs, creating: !editing, withOrganisation: !!organisations });
    run(async () => {
      if (editing) {
        await api.updateQuestion(editing.id, body);
        setSaved(t.saved);
      } else {
        await api.createQuestion(body);
        setSaved(t.added);
      }
      setDraft({ key: null, form: EMPTY_QUESTION_FORM });
      onSaved();
    });
  };

  return (
    <form id="question-form" class="card form" onSubmit={save}>
      <h3>{editing ? t.edit(editing.id) : t.add}</h3>
      {note && <p class="hint">{note}</p>}
      <div class="grid3">
        {!editing && (
          <div class="field">
            <label for="qf-id">{t.id}</label>
            <input id="qf-id" type="text" pattern="[a-z0-9-]*" value={form.id} aria-describedby="qf-id-hint"
              onInput={(e) => set({ id: e.currentTarget.value })} />
            <p id="qf-id-hint" class="hint">{t.idHint}</p>
          </div>
        )}
        <div class="field">
          <label for="qf-category">{m.common.category}</label>
          <select id="qf-category" value={form.category} onChange={(e) => set({ category: e.currentTarget.value })}>
            {CATEGORIES.map((c) => <option key={c} value={c}>{categoryLabel(m, c)}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="qf-role">{t.role}</label>
          <input id="qf-role" type="text" value={form.role} onInput={(e) => set({ role: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="qf-level">{m.bank.level}</label>
          <select id="qf-level" value={form.level ?? 'any'} onChange={(e) => set({ level: e.currentTarget.value as Level })}>
            {LEVELS.map((l) => <option key={l} value={l}>{m.mock.levels[l]}</option>)}
          </select>
        </div>
        {langs.perInterview && (
          <div class="field">
            <label for="qf-language">{t.language}</label>
            <select id="qf-language" value={form.language ?? langs.default}
              onChange={(e) => set({ language: e.currentTarget.value })}>
              {codes.map((c) => <option key={c} value={c}>{f.language(c)}</option>)}
            </select>
          </div>
        )}
        {organisations && (
          <div class="field">
            <label for="qf-organisation">{t.organisation}</label>
            <select id="qf-organisation" value={form.organisation} aria-describedby="qf-organisation-hint"
              onChange={(e) => set({ organisation: e.currentTarget.value })}>
              <option value="">{t.sharedBank}</option>
              {organisationChoices(organisations, form.organisation).map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
            </select>
            <p id="qf-organisation-hint" class="hint">{t.organisationHint}</p>
          </div>
        )}
      </div>
      <label for="qf-text">{m.common.question}</label>
      <textarea id="qf-text" required rows={2} lang={form.language} value={form.text} onInput={(e) => set({ text: e.currentTarget.value })} />
      <label for="qf-points">{t.points}</label>
      <textarea id="qf-points" rows={4} lang={form.language} value={form.points} onInput={(e) => set({ points: e.currentTarget.value })} />
      <label class="choice star-choice">
        <input id="qf-star" type="checkbox" checked={starShown(form)} onChange={(e) => set({ star: e.currentTarget.checked })} />
        {t.star}
      </label>
      <div class="buttons">
        <button type="submit">{editing ? m.common.save : t.submitAdd}</button>
        {editing && <button type="button" class="secondary" onClick={onCancel}>{m.common.cancel}</button>}
      </div>
      {saved && <p class="ok" role="status">{saved}</p>}
    </form>
  );
}
