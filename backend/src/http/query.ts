// Query-string shapes several routes share.
import { z } from 'zod';

/** `a,b,c` → the distinct items, each checked by `item`, at least one and at most `max`. */
export function commaList<T extends string>(item: z.ZodType<T, string>, max: number) {
  return z
    .string()
    .transform((value) => [...new Set(value.split(','))])
    .pipe(z.array(item).min(1).max(max));
}
