// The NUT network protocol's text rules (docs/net-protocol.txt): one request per line, words
// separated by spaces, a word with spaces or quotes written in double quotes, and inside quotes
// `"` as `\"` and `\` as `\\`. upsd parses our lines with the same rules (its pconf parser).

/** Quote a word for a request line. Always quoting values is allowed and keeps them intact. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Names (UPS, variable, command) go out bare: they never need quotes, and must not hold any. */
export function checkName(name: string, what: string): string {
  if (!/^[A-Za-z0-9_.:@+-]+$/.test(name)) {
    throw new TypeError(`${what} "${name}" is not a NUT name (letters, digits and . _ - : only)`);
  }
  return name;
}

/** A request line from its words: names bare, values (marked by wrapping in `{ value }`) quoted. */
export function requestLine(words: Array<string | { value: string }>): string {
  const text = words.map((word) => (typeof word === 'string' ? word : quote(word.value))).join(' ');
  if (/[\r\n]/.test(text)) throw new TypeError('a NUT request cannot contain a line break');
  return text;
}

/** Split an answer line into words, undoing quotes and backslash escapes. */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const char = line[i];
    if (char === '\\' && i + 1 < line.length) {
      word += line[i + 1];
      i += 1;
      inWord = true;
    } else if (char === '"') {
      quoted = !quoted;
      inWord = true;
    } else if (!quoted && (char === ' ' || char === '\t')) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** `ERR TOKEN extra` -> { token, extra }, or undefined for any other line. */
export function parseError(line: string): { token: string; extra: string } | undefined {
  const match = /^ERR\s+(\S+)\s*(.*)$/.exec(line);
  return match ? { token: match[1], extra: match[2] } : undefined;
}
