/** How outlets are named in messages, audit lines and events: `outlet 4 (server-04)`. */
export function outletList(outlets: Array<{ index: number; name: string }>): string {
  return outlets.map((outlet) => `outlet ${outlet.index}${outlet.name ? ` (${outlet.name})` : ''}`).join(', ');
}

export function plural(items: unknown[], one: string, many: string): string {
  return items.length === 1 ? `the outlet ${one}` : `the outlets ${many}`;
}
