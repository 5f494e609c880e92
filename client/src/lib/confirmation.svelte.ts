// A question put to the person before something that cannot be undone (closing the session,
// deleting an instance). One at a time: asking again answers the pending question "no".

export interface ConfirmRequest {
  title: string;
  message: string;
  /** The label of the button that goes ahead (names the action: "Close session", "Delete node2"). */
  confirm: string;
}

export class Confirmation {
  /** The question on screen, or null. */
  pending = $state<ConfirmRequest | null>(null);
  #resolve: ((ok: boolean) => void) | null = null;

  /** Shows the question; resolves true when the person goes ahead, false on Cancel or Esc. */
  ask(request: ConfirmRequest): Promise<boolean> {
    this.#resolve?.(false);
    this.pending = request;
    return new Promise((resolve) => (this.#resolve = resolve));
  }

  /** The person's answer. Answering when nothing is asked does nothing. */
  answer(ok: boolean): void {
    const resolve = this.#resolve;
    this.#resolve = null;
    this.pending = null;
    resolve?.(ok);
  }
}
