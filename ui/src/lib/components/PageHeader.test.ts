import { describe, expect, it, vi } from 'vitest';
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
import { render, screen, within } from '@testing-library/svelte';
import PageHeader from './PageHeader.svelte';

describe('PageHeader', () => {
  it("puts the register's other files in a row below the header", () => {
    const { container } = render(PageHeader, {
      props: {
        title: 'Controls',
        csv: { register: 'controls', label: 'controls', onimported: () => {} },
        files: [{ register: 'activities', label: 'control activities', title: 'Activities' }],
      },
    });
    expect(screen.getByRole('heading', { level: 1, name: 'Controls' })).toBeTruthy();
    const row = container.querySelector<HTMLElement>('header + .sub-files');
    expect(row).not.toBeNull();
    expect(within(row!).getByRole('button', { name: 'Activities: import, template or export' })).toBeTruthy();
  });

  it('has no row of other files without them', () => {
    const { container } = render(PageHeader, { props: { title: 'Risks', csv: { register: 'risks', label: 'risks', onimported: () => {} } } });
    expect(container.querySelector('.sub-files')).toBeNull();
  });
});
