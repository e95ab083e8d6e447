import { useEffect, useState } from 'preact/hooks';
import { api, ENGLISH_ONLY } from '../api';
import { restoreBody } from '../lib/questions';
import type { Languages, Question } from '../types';
import { type List, useList } from './useList';

export interface QuestionBank extends List<Question> {
  /** The server's languages, for the form's language choice. */
  langs: Languages;
  /** The question in the form; null: the form adds one. */
  editing: Question | null;
  setEditing: (q: Question | null) => void;
  /** Retires a question in use, restores a retired one, then loads the list again. */
  retire: (q: Question) => Promise<void>;
  /** After the form saved: stop editing, load the list again. */
  saved: () => void;
}

/** Questions to manage (the admin page's bank, a coach's organisation's own): the list, the one being edited, retire and restore. */
export function useQuestionBank(load: () => Promise<Question[]>): QuestionBank {
  const list = useList<Question>(load);
  const [langs, setLangs] = useState<Languages>(ENGLISH_ONLY);
  const [editing, setEditing] = useState<Question | null>(null);
  useEffect(() => {
    api.languages().then(setLangs, (e) => console.warn('GET /v1/languages failed:', e));
  }, []);
  const retire = (q: Question) => list.run(async () => {
    if (q.retired) await api.updateQuestion(q.id, restoreBody(q));
    else await api.retireQuestion(q.id);
    list.reload();
  });
  const saved = () => {
    setEditing(null);
    list.reload();
  };
  return { ...list, langs, editing, setEditing, retire, saved };
}
