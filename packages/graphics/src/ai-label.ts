import sharp from 'sharp';

/** What the platform shows next to an image a generative model made. */
export const AI_GENERATED_LABEL = 'AI-generated';

/** IPTC's digital source type for media made by a trained model (read by C2PA-aware and IPTC tools). */
export const IPTC_TRAINED_ALGORITHMIC_MEDIA =
  'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia';

const xmlEscape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** XMP packet saying the image is AI-generated, by which model, from which prompt. */
export function aiGeneratedXmp(info: { model: string; prompt: string }): string {
  return [
    '<?xpacket begin="﻿" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about="" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
    ` Iptc4xmpExt:DigitalSourceType="${IPTC_TRAINED_ALGORITHMIC_MEDIA}" xmp:CreatorTool="${xmlEscape(info.model)}">`,
    `<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xmlEscape(`${AI_GENERATED_LABEL}: ${info.prompt}`)}</rdf:li></rdf:Alt></dc:description>`,
    '</rdf:Description></rdf:RDF></x:xmpmeta>',
    '<?xpacket end="w"?>',
  ].join('');
}

/** The image with the AI-generated XMP packet embedded, in its own format (PNG, JPEG or WebP). */
export async function embedAiLabel(
  bytes: Buffer,
  format: string,
  info: { model: string; prompt: string },
): Promise<Buffer> {
  const image = sharp(bytes).withXmp(aiGeneratedXmp(info));
  if (format === 'jpeg') return image.jpeg({ quality: 92 }).toBuffer();
  if (format === 'webp') return image.webp({ quality: 92 }).toBuffer();
  return image.png().toBuffer();
}
