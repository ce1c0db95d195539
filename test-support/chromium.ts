// Headless Chromium for the dashboard's end-to-end tests and benchmark, started the way this network
// allows: without the background connections a closed network refuses (and the sandbox root lacks).
import { chromium, type Browser } from 'playwright-core';

export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}
