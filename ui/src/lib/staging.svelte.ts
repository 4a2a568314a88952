// Copies a chosen evidence file into the workspace before the record that takes it is saved:
// a job with a progress bar and Cancel (large files take a while). A file copied once is not
// copied again when the save is refused and retried.
import { api } from '$lib/api';
import type { ChosenFile } from '$lib/files';
import { runJob } from '$lib/jobs.svelte';

/** The token to save `file` with, copying it first if needed; null when there is no file.
 *  A copy that fails or is cancelled is refused on the `file_name` field. */
export async function stageFile(file: ChosenFile | null): Promise<string | null> {
  if (!file) return null;
  if (!file.staged) {
    const done = await runJob(`Copying ${file.name}`, (job) => api.stageEvidenceFile(file.token, job));
    if (!done) throw { code: 'validation', message: 'The file was not copied.', fields: [{ field: 'file_name', message: 'The file was not copied into the workspace; choose it again, or save without it.' }] };
    file.staged = true;
  }
  return file.token;
}
