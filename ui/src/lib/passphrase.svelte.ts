// A new passphrase as the forms that set one take it: whether to encrypt at all, the
// passphrase and the same again.
import type { FormState } from '$lib/form.svelte';

export class NewPassphrase {
  encrypt = $state(true);
  passphrase = $state('');
  again = $state('');

  /** The passphrase chosen, or null when the user chose a plain file. */
  get chosen(): string | null {
    return this.encrypt ? this.passphrase : null;
  }

  /** Refuses the submit when the two passphrases differ (on the `again` field); null when
   *  they agree or there is no passphrase. */
  mismatch(form: FormState, event: SubmitEvent): Promise<false> | null {
    return this.encrypt && this.passphrase !== this.again ? form.refuse(event, { again: 'The two passphrases differ.' }) : null;
  }

  /** Forgets what was typed. */
  forget(): void {
    this.passphrase = this.again = '';
  }
}
