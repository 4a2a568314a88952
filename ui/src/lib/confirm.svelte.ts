// A question asked before something that cannot be taken back, answered in the app's own
// dialog (ConfirmDialog, mounted once in App.svelte): the Linux webview may not show
// window.confirm.

export type Question = {
  title: string;
  /** The button that goes ahead. */
  confirm: string;
  /** The button that keeps things as they are: it has the focus, and Escape chooses it. */
  cancel: string;
};

/** The question showing, if any. */
export const asking = $state<{ question: Question | null }>({ question: null });
let reply: ((yes: boolean) => void) | null = null;

/** Shows `question`; resolves to whether the user went ahead. */
export function ask(question: Question): Promise<boolean> {
  // Only one question shows: one asked before it is answered "no".
  reply?.(false);
  asking.question = question;
  return new Promise((resolve) => (reply = resolve));
}

/** Answers the question showing. */
export function answer(yes: boolean): void {
  const settle = reply;
  reply = null;
  asking.question = null;
  settle?.(yes);
}
