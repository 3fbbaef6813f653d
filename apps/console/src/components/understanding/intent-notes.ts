// A deleted intent's name, carried from the editor to the list it returns to, which says it is gone.
let deleted: string | null = null;

export function noteDeleted(name: string) {
  deleted = name;
}

/** Read during render (twice under StrictMode), cleared once the list is on screen. */
export const peekDeleted = () => deleted;

export function clearDeleted() {
  deleted = null;
}
