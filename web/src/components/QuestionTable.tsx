// The list of bank questions with Edit and Retire/Restore on each row: the
// admin page's whole bank and a coach's organisation's own questions.

import { useI18n } from '../i18n/context';
import { organisationName } from '../lib/questions';
import { categoryLabel } from '../pages/Picker';
import type { Question, Ref } from '../types';
import { DataTable } from './DataTable';

interface QuestionTableProps {
  questions: Question[];
  /** Adds a column naming each question's organisation (or the shared bank), from this list. */
  organisations?: Ref[] | null;
  showOrganisation?: boolean;
  caption?: string;
  onEdit: (q: Question) => void;
  /** Retires a question in use, restores a retired one. */
  onRetire: (q: Question) => void;
}

export function QuestionTable({ questions, organisations, showOrganisation = false, caption, onEdit, onRetire }: QuestionTableProps) {
  const { m, f } = useI18n();
  const t = m.admin.questions;
  const columns = [m.common.question, m.common.category, t.role, m.bank.level, t.language,
    ...(showOrganisation ? [t.organisation] : []), m.common.state];
  return (
    <DataTable caption={caption} columns={columns} actions>
      {questions.map((q) => (
        <tr key={q.id} class={q.retired ? 'retired' : ''} data-question-id={q.id}>
          <td><span lang={q.language}>{q.text}</span><br /><span class="hint">{q.id}</span></td>
          <td>{categoryLabel(m, q.category)}</td>
          <td>{q.role}</td>
          <td>{q.level ? m.mock.levels[q.level] ?? q.level : '–'}</td>
          <td>{q.language ? f.language(q.language) : '–'}</td>
          {showOrganisation && <td data-col="organisation">{organisationName(q.organisation_id, organisations) ?? t.sharedBank}</td>}
          <td>{q.retired ? t.retired : t.inUse}</td>
          <td class="row-actions">
            <button type="button" class="secondary small" onClick={() => onEdit(q)} aria-label={t.editLabel(q.id)}>{t.editButton}</button>{' '}
            <button type="button" class="secondary small" onClick={() => onRetire(q)} aria-label={t.retireLabel(!!q.retired, q.id)}>
              {q.retired ? t.restore : t.retire}
            </button>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
