// Files the user picks in a file input, read into memory for the commands that take files.

/** A picked file: its name and its bytes. */
export type PickedFile = { name: string; bytes: Uint8Array };

/** Reads the file picked in `input`; undefined when none is. */
export async function readPicked(input: HTMLInputElement | undefined): Promise<PickedFile | undefined> {
  const file = input?.files?.[0];
  return file ? { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) } : undefined;
}
