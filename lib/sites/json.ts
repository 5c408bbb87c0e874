/** A message's payload as a JSON object, or undefined when it is not one (text, an array, broken JSON). */
export function jsonObject(payload: Buffer | string): Record<string, any> | undefined {
  try {
    const parsed: unknown = JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed as Record<string, any> : undefined;
  } catch {
    return undefined;
  }
}
