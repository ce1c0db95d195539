// English and German UI text. Each feature keeps its messages beside its page (`messages.ts`: one flat
// object per language, keys prefixed by the feature); this file joins them. A test checks that both
// languages have exactly the same keys.
import { createSignal } from 'solid-js';
import { catalogs } from './catalogs';

export type Locale = 'en' | 'de';
export const LOCALES: readonly Locale[] = ['en', 'de'];
export type Messages = Readonly<Record<string, string>>;
export interface MessageCatalog {
  en: Messages;
  de: Messages;
}

const LOCALE_KEY = 'emma.locale';

function merge(locale: Locale): Messages {
  return Object.assign({}, ...catalogs.map((c) => c[locale])) as Messages;
}
const merged: Record<Locale, Messages> = { en: merge('en'), de: merge('de') };

function initialLocale(): Locale {
  try {
    const stored = localStorage.getItem(LOCALE_KEY);
    if (stored === 'en' || stored === 'de') return stored;
  } catch {
    // no storage
  }
  return typeof navigator !== 'undefined' && navigator.language.toLowerCase().startsWith('de') ? 'de' : 'en';
}

const [locale, setLocaleSignal] = createSignal<Locale>(initialLocale());
export { locale };

export function setLocale(next: Locale): void {
  setLocaleSignal(next);
  document.documentElement.lang = next;
  try {
    localStorage.setItem(LOCALE_KEY, next);
  } catch {
    // no storage
  }
}

/** The text of a key in the current language, with `{name}` placeholders filled; the key itself if unknown. */
export function t(key: string, params?: Readonly<Record<string, string | number>>): string {
  const text = merged[locale()][key] ?? merged.en[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

/** Every key of a language (for the completeness test). */
/**
 * The text of the first of `keys` the current language has a message for: areas name generated fields
 * under their own keys (`probes.field.*`, `settings.field.*`) and fall back to the schema's own words.
 */
export function firstMessage(...keys: string[]): string | undefined {
  for (const key of keys) {
    const text = t(key);
    if (text !== key) return text;
  }
  return undefined;
}

export function messageKeys(language: Locale): string[] {
  return Object.keys(merged[language]).sort();
}
