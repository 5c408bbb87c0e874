/** How much of what a device said an error message shows. */
export const DEVICE_WORDS_SHOWN = 200;

/**
 * What a device said, for an error message: whitespace and control characters as single
 * spaces, and at most its last 200 characters (where a prompt or an error message is), saying
 * how much there was when it is cut. A device can send megabytes where one line belongs; whole,
 * they would flood the error, the Catch message, the status and the log.
 */
export function deviceWords(text: string, options: { quoted?: boolean } = {}): string {
  const trimmed = text.trim();
  const cut = trimmed.length > DEVICE_WORDS_SHOWN;
  const shown = (cut ? `…${trimmed.slice(-DEVICE_WORDS_SHOWN)}` : trimmed).replace(/[\s\x00-\x1f\x7f]+/g, ' ');
  const words = options.quoted === false ? shown : `"${shown}"`;
  return cut ? `${words} (${trimmed.length} characters, last ${DEVICE_WORDS_SHOWN} shown)` : words;
}
