// Copying text for the user. The Clipboard API exists only in secure contexts (HTTPS or localhost), and
// eMMA is often opened over plain HTTP on a LAN address, so a selected textarea + execCommand is the fallback.

export async function copyText(text: string): Promise<boolean> {
  if (typeof navigator !== 'undefined' && window.isSecureContext && 'clipboard' in navigator) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Permission refused or document not focused: try the old way.
    }
  }
  return copyWithSelection(text);
}

function copyWithSelection(text: string): boolean {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  // Off screen, but focusable and selectable.
  area.style.position = 'fixed';
  area.style.top = '-1000px';
  area.style.opacity = '0';
  const previous = document.activeElement;
  document.body.append(area);
  // The copy takes the focused selection; focus goes back where it was afterwards.
  area.focus();
  area.select();
  try {
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the only way without the Clipboard API
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    area.remove();
    if (previous instanceof HTMLElement) previous.focus();
  }
}
