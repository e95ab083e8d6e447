import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n/context';
import { errorMessage } from '../lib/errors';
import { type Action, useAction } from './useAction';

export interface List<T> extends Action {
  /** null until the first load has answered. */
  items: T[] | null;
  setItems: (update: (old: T[] | null) => T[] | null) => void;
  /** Loads the list again; a failure becomes the error. */
  reload: () => void;
}

/**
 * A list loaded when the component mounts, with the actions that change it:
 * a failed load and a failed action both show in the same `error`.
 */
export function useList<T>(load: () => Promise<T[]>): List<T> {
  const action = useAction();
  const { m } = useI18n();
  const [items, setItems] = useState<T[] | null>(null);
  const reload = () => {
    load().then(setItems, (e) => action.setError(errorMessage(e, m)));
  };
  useEffect(reload, []);
  return { ...action, items, setItems, reload };
}
