// Svelte 5 drops the whitespace that opens a block's content, so `{#if who} by {who}{/if}`
// prints "16:20by Ines". A space meant to be there is written `{' '}`; this finds any that
// would be lost (it found 32 across the screens when it was written).
import { describe, expect, it } from 'vitest';

const sources = import.meta.glob('./**/*.svelte', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
const opensWithSpace = /(\{#if [^}\n]*\}|\{:else(?: if [^}\n]*)?\}|\{#each [^}\n]*\}|\{#key [^}\n]*\}) (?=\S)/;

describe('Svelte sources', () => {
  it('reads every screen and component', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(80);
  });

  it('never open a block with a space that Svelte would drop', () => {
    const lost = Object.entries(sources).flatMap(([file, text]) =>
      text.split('\n').flatMap((line, i) => (opensWithSpace.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(lost).toEqual([]);
  });
});
