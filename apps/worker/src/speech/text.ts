import { htmlToText } from '@media-ai/text';

/** A content item as read aloud or learnt from: the title as its own sentence, then the body by paragraphs. */
export function articleText(title: string, body: string): string {
  const heading = title.trim();
  const text = htmlToText(body).trim();
  const sentence = heading && !/[.!?:]$/.test(heading) ? `${heading}.` : heading;
  return [sentence, text].filter(Boolean).join('\n\n');
}
