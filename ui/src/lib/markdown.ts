// The Markdown a policy is written in, read as blocks for the preview: `#`, `##`, `###`
// headings, `-`/`*` and `1.` lists (an indented line continues an item), paragraphs. The
// same reading as the PDF's (documents/policy.rs); no HTML is ever interpreted.

export type MdBlock =
  | { kind: 'h1' | 'h2' | 'h3' | 'p'; text: string }
  | { kind: 'ul' | 'ol'; items: string[] };

const plain = (s: string) => s.replaceAll('**', '').replaceAll('__', '').replaceAll('`', '');

export function markdownBlocks(text: string): MdBlock[] {
  const out: MdBlock[] = [];
  let open: MdBlock | null = null;
  const close = () => {
    if (open) out.push(open);
    open = null;
  };
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    const t = line.trimStart();
    const heading = /^(#{1,3}) (.*)$/.exec(t);
    const bullet = /^[-*] (.*)$/.exec(t);
    const numbered = /^\d+\. (.*)$/.exec(t);
    if (!t) {
      close();
    } else if (heading) {
      close();
      out.push({ kind: (['h1', 'h2', 'h3'] as const)[heading[1].length - 1], text: plain(heading[2].trim()) });
    } else if (bullet || numbered) {
      const kind = bullet ? 'ul' : 'ol';
      const current = open as MdBlock | null;
      if (!current || current.kind !== kind) {
        close();
        open = { kind, items: [] };
      }
      (open as unknown as { items: string[] }).items.push(plain((bullet ?? numbered)![1].trim()));
    } else {
      const current = open as MdBlock | null;
      if (current && 'items' in current && line.startsWith(' ') && current.items.length > 0) {
        current.items[current.items.length - 1] += ' ' + plain(t);
      } else if (current && current.kind === 'p') {
        current.text += ' ' + plain(t);
      } else {
        close();
        open = { kind: 'p', text: plain(t) };
      }
    }
  }
  close();
  return out;
}
