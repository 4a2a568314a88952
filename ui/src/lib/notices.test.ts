import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { go, nav, openPolicy } from '$lib/nav.svelte';
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

  it('go with the screen they were raised on: opening another area or record dismisses them', () => {
    go('controls');
    notify('info', 'Saved the control.');
    notify('error', 'Could not read the evidence file.');
    openPolicy(4);
    expect(nav.area).toBe('policies');
    expect(notices).toEqual([]);
    // A notice the new screen raises stays, and so does one on a screen not left.
    notify('error', 'The policy could not be read.');
    openPolicy(4);
    expect(notices.map((n) => n.text)).toEqual(['The policy could not be read.']);
    go('policies');
    expect(notices).toEqual([]);
  });
});
