//! The order in which a step's completions take effect (linearizer.ts): the order the system
//! listed them or, when one cannot take effect there, with it moved after the others (it may
//! have met what they did: a swap-in another thread saw fail).

/**
 * Lets `complete` take `items` in the order given (it answers null, or why it refuses one),
 * then, after `restore`, with the refused one moved to the end (at most one try per item).
 * Ensures: null once an order is accepted, or the first order's refusal.
 */
export function inSomeOrder<T>(items: readonly T[], complete: (item: T) => string | null, restore: () => void): string | null {
  const attempt = (order: readonly T[]) => {
    for (let index = 0; index < order.length; index++) {
      const message = complete(order[index]!);
      if (message !== null) return { index, message };
    }
    return null;
  };
  let first: string | null = null;
  let order = [...items];
  for (let tries = 0; ; tries++) {
    const refused = attempt(order);
    if (refused === null) return null;
    restore();
    first ??= refused.message;
    if (refused.index === order.length - 1 || tries + 1 >= items.length) return first;
    order = [...order.slice(0, refused.index), ...order.slice(refused.index + 1), order[refused.index]!];
  }
}
