// The name of a deleted flow or action, carried from its page to the list it returns to, which says it is gone.
function note() {
  let value: string | null = null;
  return {
    set(name: string) {
      value = name;
    },
    /** Read during render (twice under StrictMode), cleared once the list is on screen. */
    peek: () => value,
    clear() {
      value = null;
    },
  };
}

export const deletedFlow = note();
export const deletedAction = note();
