/** The file in the state directory the collect loop rewrites each interval; the HEALTHCHECK reads it. */
export const HEALTH_FILE = 'health.json';
