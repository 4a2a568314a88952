import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/svelte';
import Moment from './Moment.svelte';

describe('Moment', () => {
  it('keeps the date and the time whole, each free to take its own line', () => {
    const { container } = render(Moment, { props: { value: '2026-11-24 16:20' } });
    const parts = [...container.querySelectorAll('span.nowrap')].map((s) => s.textContent);
    expect(parts).toEqual(['2026-11-24', '16:20']);
    expect(container.textContent).toBe('2026-11-24 16:20');
  });

  it('shows a date alone as one piece, and says what stands for none', () => {
    const date = render(Moment, { props: { value: '2026-11-24' } });
    expect([...date.container.querySelectorAll('span.nowrap')].map((s) => s.textContent)).toEqual(['2026-11-24']);
    const none = render(Moment, { props: { value: null, none: 'Not yet' } });
    expect(none.container.textContent).toBe('Not yet');
    expect(none.container.querySelector('span.nowrap')).toBeNull();
  });
});
