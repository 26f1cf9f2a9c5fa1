/** Article bodies may hold HTML from importers: keep the words and the paragraph breaks. */
export function plainText(body: string): string {
  if (!/<[a-z!/][^>]*>/i.test(body)) return body;
  return body
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|h[1-6]|li|blockquote|section|article|tr)>/gi, '\n\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A content item as read aloud or learnt from: the title as its own sentence, then the body by paragraphs. */
export function articleText(title: string, body: string): string {
  const heading = title.trim();
  const text = plainText(body).trim();
  const sentence = heading && !/[.!?:]$/.test(heading) ? `${heading}.` : heading;
  return [sentence, text].filter(Boolean).join('\n\n');
}
