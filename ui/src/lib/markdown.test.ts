import { describe, expect, it } from 'vitest';
import { markdownBlocks } from './markdown';

describe('markdownBlocks', () => {
  it('reads headings, lists and paragraphs as the PDF does', () => {
    const md = '# Access Control Policy\n\n## Purpose\nAccess is **granted** on need.\nIt is reviewed.\n\n### Reviews\n- quarterly\n- with the `user list`\n  exported from the system\n1. Request\n2. Approve\n\nLast words.';
    expect(markdownBlocks(md)).toEqual([
      { kind: 'h1', text: 'Access Control Policy' },
      { kind: 'h2', text: 'Purpose' },
      { kind: 'p', text: 'Access is granted on need. It is reviewed.' },
      { kind: 'h3', text: 'Reviews' },
      { kind: 'ul', items: ['quarterly', 'with the user list exported from the system'] },
      { kind: 'ol', items: ['Request', 'Approve'] },
      { kind: 'p', text: 'Last words.' },
    ]);
  });

  it('keeps markup that is not Markdown as text', () => {
    expect(markdownBlocks('<script>alert(1)</script>')).toEqual([{ kind: 'p', text: '<script>alert(1)</script>' }]);
  });
});
