// Files the user picks for evidence: chosen in the system's open dialog, never read by the
// page (the app reads them from where they are).

/** An evidence file chosen in the system's dialog (see EvidenceFileField): the token the app
 *  knows it by, its name and size, and whether it was copied into the workspace already. */
export type ChosenFile = { token: string; name: string; size: number; staged: boolean };
