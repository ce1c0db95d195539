import { describe, expect, it } from 'vitest';
import { messageKeys, setLocale, t } from './index';

describe('i18n', () => {
  it('has every English text in German too, and nothing extra', () => {
    expect(messageKeys('de')).toEqual(messageKeys('en'));
  });

  it('has no empty texts', () => {
    for (const locale of ['en', 'de'] as const) {
      setLocale(locale);
      for (const key of messageKeys(locale)) expect(t(key).trim(), `${locale} ${key}`).not.toBe('');
    }
    setLocale('en');
  });

  it('fills placeholders and switches language', () => {
    setLocale('de');
    expect(t('login.failed', { message: 'x' })).toBe('Anmeldung fehlgeschlagen: x');
    setLocale('en');
    expect(t('login.failed', { message: 'x' })).toBe('Sign-in failed: x');
    expect(t('no.such.key')).toBe('no.such.key');
  });
});
