import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import Harness from '../../test/PanelFormHarness.svelte';

describe('PanelForm', () => {
  it('holds a form with its heading and note in a named side panel', async () => {
    const onsubmit = vi.fn((e: SubmitEvent) => e.preventDefault());
    render(Harness, { props: { onsubmit } });
    const panel = screen.getByRole('complementary', { name: 'Assessment intervals' });
    const form = within(panel).getByRole('form', { name: 'Intervals' });
    expect(within(form).getByRole('heading', { level: 2 }).textContent).toBe('Set the intervals');
    expect(within(form).getByText('Days between assessments.')).toBeTruthy();
    await userEvent.click(within(form).getByRole('button', { name: 'Save' }));
    expect(onsubmit).toHaveBeenCalledOnce();
  });

  it('holds no form without a submit handler', () => {
    render(Harness);
    const panel = screen.getByRole('complementary', { name: 'Assessment intervals' });
    expect(within(panel).queryByRole('form')).toBeNull();
    expect(within(panel).getByRole('heading', { name: 'Set the intervals' })).toBeTruthy();
  });
});
