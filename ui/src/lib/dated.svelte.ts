// The values of a dated record being corrected, as its correction form shows them (see
// DatedRowTools): the day, the person as a select's value (and the person stored, kept
// selectable if archived since) and the record's own fields.
import type { PersonRef } from '$lib/bindings/PersonRef';
import { numberOrNull } from '$lib/choices';

export class DatedFix<T extends Record<string, string>> {
  on = $state('');
  by = $state('');
  was = $state<PersonRef | null>(null);
  text = $state<T>({} as T);

  constructor(text: T) {
    this.text = text;
  }

  /** Fills the form with a stored record's day, person and fields. */
  fill(on: string, person: PersonRef | null, text: T): void {
    this.on = on;
    this.by = person ? String(person.id) : '';
    this.was = person;
    this.text = text;
  }

  /** The person picked, as an id (null for nobody). */
  get person(): number | null {
    return numberOrNull(this.by);
  }
}
