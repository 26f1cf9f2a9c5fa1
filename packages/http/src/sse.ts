/**
 * Server-sent events reader: yields the data of each event ("data:" lines joined by "\n"), per the
 * EventSource spec's line rules (\n, \r\n or \r; ":" comments; optional space after the colon).
 */
export async function* readSseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buffer = '';
  let data: string[] = [];
  const takeLines = function* (final: boolean): Generator<string> {
    for (;;) {
      const m = /\r\n|\n|\r/.exec(buffer);
      if (!m) break;
      // A lone "\r" at the end may be the first half of "\r\n".
      if (m[0] === '\r' && m.index === buffer.length - 1 && !final) break;
      const line = buffer.slice(0, m.index);
      buffer = buffer.slice(m.index + m[0].length);
      yield line;
    }
    if (final && buffer) {
      yield buffer;
      buffer = '';
    }
  };
  const handle = (line: string): string | undefined => {
    if (line === '') {
      if (data.length === 0) return undefined;
      const event = data.join('\n');
      data = [];
      return event;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    return undefined;
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      for (const line of takeLines(false)) {
        const event = handle(line);
        if (event !== undefined) yield event;
      }
    }
    buffer += decoder.decode();
    for (const line of takeLines(true)) {
      const event = handle(line);
      if (event !== undefined) yield event;
    }
    const last = handle('');
    if (last !== undefined) yield last;
  } finally {
    reader.releaseLock();
  }
}
