// The benchmarks' settings from the environment: a number (underscores allowed, `10_000`) at or above a
// minimum, an integer unless said otherwise; anything else stops the run with the setting's name.
export function numEnv(name: string, fallback: number, min: number, integer = true): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new Error(`${name} must be ${integer ? 'an integer' : 'a number'} ≥ ${min}, got '${raw}'`);
  }
  return value;
}
