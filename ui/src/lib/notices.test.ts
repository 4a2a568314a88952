import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dismiss, INFO_MS, notices, notify } from '$lib/notices.svelte';

describe('notices', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    notices.splice(0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('info notices fade on their own; errors stay until dismissed', () => {
    notify('info', 'Saved.');
    notify('error', 'Could not write the file.');
    expect(notices.map((n) => n.text)).toEqual(['Saved.', 'Could not write the file.']);
    vi.advanceTimersByTime(INFO_MS);
    expect(notices.map((n) => n.text)).toEqual(['Could not write the file.']);
    dismiss(notices[0].id);
    expect(notices).toEqual([]);
  });
});
