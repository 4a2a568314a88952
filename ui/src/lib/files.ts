// Files the user picks: in a file input, read into memory for the few commands that take bytes
// (the access lists compared in the page), or chosen in the system dialog for evidence.

/** A picked file: its name and its bytes. */
export type PickedBytes = { name: string; bytes: Uint8Array };

/** The event FilePicker listens for to learn its input was emptied. */
export const CLEARED = 'readyroom-file-cleared';

/** Empties a file input once its file is saved. Setting the value fires no event, so this
 *  sends one for the picker to show it; not a 'change', which would count as an edit of the
 *  form. */
export function clearPicked(input: HTMLInputElement | undefined): void {
  if (!input) return;
  input.value = '';
  input.dispatchEvent(new Event(CLEARED));
}

/** Reads the file picked in `input`; undefined when none is. */
export async function readPicked(input: HTMLInputElement | undefined): Promise<PickedBytes | undefined> {
  const file = input?.files?.[0];
  return file ? { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) } : undefined;
}

/** An evidence file chosen in the system's dialog (see EvidenceFileField): the token the app
 *  knows it by, its name and size, and whether it was copied into the workspace already. */
export type ChosenFile = { token: string; name: string; size: number; staged: boolean };
