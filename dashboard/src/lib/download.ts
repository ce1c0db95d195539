// CSV downloads of what a page shows: the same endpoint the page reads, asked for `Accept: text/csv` through
// the typed client's authenticated fetch (token refresh included), saved by clicking a temporary link.
import { createSignal, type Accessor } from 'solid-js';
import { api, unwrap } from '../api/client';

/** The CSV answer of a GET endpoint (`path` with its ids filled in) as a Blob; an ApiError if refused. */
export async function fetchCsv(path: string, query: Readonly<Record<string, string>>): Promise<Blob> {
  // The client's paths are typed per endpoint; this helper serves any endpoint that answers CSV.
  const get = api.GET as unknown as (
    url: string,
    init: { params: { query: Record<string, string> }; headers: Record<string, string>; parseAs: 'blob' },
  ) => Promise<{ data?: Blob; error?: unknown; response: Response }>;
  const blob = await unwrap(
    get(path, { params: { query: { ...query } }, headers: { Accept: 'text/csv' }, parseAs: 'blob' }),
  );
  // The body as text/csv whatever the server labelled it, so the browser saves it as such.
  return blob.type.startsWith('text/csv') ? blob : new Blob([blob], { type: 'text/csv;charset=utf-8' });
}

/** Saves a Blob under `fileName`: a temporary `<a download>` is clicked and its object URL released. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    // Released after the click has been handled (some browsers read the URL asynchronously).
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}

/** A file name for a download: `prefix` plus the range, safe on every file system (no colons). */
export function csvFileName(prefix: string, from: string, to: string): string {
  const stamp = (iso: string) => iso.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  const safe = prefix.replace(/[^\w.-]+/g, '_').replace(/^_+|_+$/g, '') || 'export';
  return `${safe}_${stamp(from)}_${stamp(to)}.csv`;
}

/** Fetches `path` as CSV (with `query`) and saves it as `fileName`. */
export async function downloadCsv(
  path: string,
  query: Readonly<Record<string, string>>,
  fileName: string,
  fetcher: (path: string, query: Readonly<Record<string, string>>) => Promise<Blob> = fetchCsv,
): Promise<void> {
  saveBlob(await fetcher(path, query), fileName);
}

/** A download button's state: busy while fetching, the error of the last try (undefined when it worked). */
export function createCsvDownload(
  request: () => { path: string; query: Readonly<Record<string, string>>; fileName: string },
  fetcher?: (path: string, query: Readonly<Record<string, string>>) => Promise<Blob>,
): { busy: Accessor<boolean>; error: Accessor<unknown>; start: () => Promise<void> } {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>();
  const start = async () => {
    if (busy()) return;
    const { path, query, fileName } = request();
    setBusy(true);
    setError(undefined);
    try {
      await downloadCsv(path, query, fileName, fetcher);
    } catch (caught) {
      setError(() => caught);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, start };
}
