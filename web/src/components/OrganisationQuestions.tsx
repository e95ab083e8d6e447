// A coach's organisation's own questions (on the Coaching page): listed,
// added, edited, retired and restored. The server makes every question a
// coach writes their organisation's, and lets them change no other.

import { api } from '../api';
import { useI18n } from '../i18n/context';
import { organisationQuestions } from '../lib/questions';
import type { Ref } from '../types';
import { QuestionForm } from './QuestionForm';
import { QuestionTable } from './QuestionTable';
import { ErrorBox, Loading } from './ui';
import { useQuestionBank } from './useQuestionBank';

export function OrganisationQuestions({ organisation }: { organisation: Ref }) {
  const { m } = useI18n();
  const t = m.coach.questions;
  // the list holds the shared bank too: only the organisation's own are the coach's to change
  const bank = useQuestionBank(async () =>
    organisationQuestions(await api.listQuestions({ includeRetired: true }), organisation.id));
  const items = bank.items;

  return (
    <section class="org-questions" aria-labelledby="org-questions-title">
      <h2 id="org-questions-title">{t.title}</h2>
      <p class="muted">{t.intro(organisation.name)}</p>
      <QuestionForm editing={bank.editing} langs={bank.langs} note={t.note(organisation.name)} run={bank.run}
        onSaved={bank.saved} onCancel={() => bank.setEditing(null)} />
      <ErrorBox error={bank.error} />
      {!items && !bank.error && <Loading what={t.loading} />}
      {items && items.length === 0 && <p>{t.none}</p>}
      {items && items.length > 0 && (
        <QuestionTable questions={items} caption={t.caption} onEdit={bank.setEditing} onRetire={bank.retire} />
      )}
    </section>
  );
}
