import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import FileField from './FileField.svelte';
import { clearPicked } from '$lib/files';

describe('FileField', () => {
  it('draws a Choose file button with the chosen file named beside it', async () => {
    render(FileField, { props: { id: 'evidence', label: 'Evidence file', hint: 'Optional.' } });
    const input = screen.getByLabelText('Evidence file') as HTMLInputElement;
    // The real input stays, named by the field's label and described by the hint.
    expect(input.type).toBe('file');
    expect(input.getAttribute('aria-describedby')).toBe('evidence-hint');
    const button = screen.getByText('Choose file…');
    expect(button.tagName).toBe('LABEL');
    expect(button.getAttribute('for')).toBe('evidence');
    expect(button.classList.contains('btn-secondary')).toBe(true);
    expect(screen.getByText('No file chosen')).toBeTruthy();

    await userEvent.upload(input, new File(['user,role\n'], 'aws-users.csv', { type: 'text/csv' }));
    expect(screen.getByText('aws-users.csv')).toBeTruthy();
    expect(screen.queryByText('No file chosen')).toBeNull();

    // Emptied after a save: the name goes too.
    clearPicked(input);
    expect(await screen.findByText('No file chosen')).toBeTruthy();
  });

  it('marks the input invalid and points it at the error', () => {
    render(FileField, { props: { id: 'evidence', label: 'Evidence file', error: 'Choose the file to attach.' } });
    const input = screen.getByLabelText('Evidence file');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toBe('evidence-error');
  });
});
