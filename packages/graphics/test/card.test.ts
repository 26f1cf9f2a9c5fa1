import { describe, expect, it } from 'vitest';
import {
  CARD_FORMATS,
  CARD_FORMAT_NAMES,
  DEFAULT_BRAND,
  fitText,
  isGraphicsError,
  loadFont,
  renderCard,
  textPathData,
} from '../src/index.js';
import { expectGolden, inkBounds, testPhoto } from './helpers.js';

/** Long headlines in the languages the platform translates to (Apertium pairs and the LLM's usual ones). */
const HEADLINES: Record<string, string> = {
  en: 'Parliament approves the emergency budget after an all-night session as coalition partners settle their dispute over hospital funding',
  es: 'El Parlamento aprueba el presupuesto de emergencia tras una sesión nocturna en la que los socios de la coalición zanjaron su disputa',
  ca: "El Parlament aprova el pressupost d'emergència després d'una sessió nocturna en què els socis de la coalició resolen la disputa",
  pt: 'Parlamento aprova orçamento de emergência após sessão noturna em que os parceiros da coligação resolveram a disputa sobre hospitais',
  gl: 'O Parlamento aproba o orzamento de emerxencia tras unha sesión nocturna na que os socios da coalición resolveron a disputa',
  fr: "Le Parlement adopte le budget d'urgence après une séance de nuit où les partenaires de la coalition ont réglé leur différend",
  it: "Il Parlamento approva il bilancio d'emergenza dopo una seduta notturna in cui i partner di coalizione hanno risolto la disputa",
  ro: 'Parlamentul aprobă bugetul de urgență după o ședință de noapte în care partenerii de coaliție și-au rezolvat disputa privind spitalele',
  oc: "Lo Parlament aprovèt lo budgèt d'urgéncia aprèp una sesilha de nuèch que los partenaris de la coalicion i resolguèron lor disputa",
  eu: 'Legebiltzarrak larrialdiko aurrekontua onartu du gaueko saio luze baten ondoren, koalizioko bazkideek ospitaleen gatazka konpondu ostean',
  eo: 'La parlamento aprobis la krizan buĝeton post tutnokta kunsido, kiam la koaliciaj partneroj solvis sian disputon pri hospitaloj',
  is: 'Alþingi samþykkir neyðarfjárlög eftir næturfund þar sem samstarfsflokkarnir leystu ágreining sinn um fjármögnun sjúkrahúsa',
  hbs: 'Sabor usvojio hitni proračun nakon noćne sjednice na kojoj su koalicijski partneri riješili spor oko financiranja bolnica',
  de: 'Bundestag verabschiedet Notfallhaushalt nach nächtlicher Sitzung – Koalitionspartner beenden Streit über Krankenhausfinanzierungsgesetz',
  pl: 'Sejm przyjmuje budżet awaryjny po nocnym posiedzeniu, na którym partnerzy koalicyjni rozstrzygnęli spór o finansowanie szpitali',
  cs: 'Sněmovna schválila nouzový rozpočet po noční schůzi, na níž koaliční partneři urovnali spor o financování nemocnic',
  vi: 'Quốc hội thông qua ngân sách khẩn cấp sau phiên họp kéo dài suốt đêm khi các đối tác liên minh giải quyết tranh chấp về bệnh viện',
  tr: 'Meclis, koalisyon ortaklarının hastane finansmanı konusundaki anlaşmazlığı çözdüğü gece oturumunun ardından acil bütçeyi onayladı',
  el: 'Η Βουλή εγκρίνει τον έκτακτο προϋπολογισμό μετά από ολονύκτια συνεδρίαση των εταίρων του συνασπισμού για τα νοσοκομεία',
  mk: 'Собранието го усвои итниот буџет по ноќната седница на која коалициските партнери го решија спорот за болниците',
};

describe('text fitting', () => {
  const font = loadFont('DejaVu Sans', 'bold');

  it('fits long headlines in every supported language without overflow, ink included, at every card size', async () => {
    for (const format of CARD_FORMAT_NAMES) {
      const { width, height } = CARD_FORMATS[format];
      const s = Math.min(width, height);
      const box = { width: Math.round(width * 0.88), height: Math.round(height * 0.42) };
      for (const [lang, text] of Object.entries(HEADLINES)) {
        const fitted = fitText(font, text, box, {
          maxSize: 0.1 * s,
          minSize: 0.04 * s,
          maxLines: 7,
          lineHeight: 1.15,
        });
        expect(fitted.truncated, `${format} ${lang}`).toBe(false);
        expect(fitted.lines.join(' '), `${format} ${lang}`).toBe(text.normalize('NFC'));
        expect(Math.max(...fitted.widths)).toBeLessThanOrEqual(box.width);
        expect(fitted.ink.y2).toBeLessThanOrEqual(box.height);
      }
    }
  });

  it('keeps the drawn pixels inside the box, accents on capitals and cut text included', async () => {
    const M = 60;
    const box = { width: 520, height: 200 };
    const cases = [
      'ÁÉÍÓÚ ÅÄÖ ÇŞĞ ŐŰ ĄĘŁ ŻŹĆ ÑÕ ỲỸ ẤẦẨẪẬ ẮẰẲẴẶ jÿgqp',
      HEADLINES.vi!,
      'Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherungsanstalt',
      HEADLINES.de!.repeat(3),
    ];
    for (const text of cases) {
      const fitted = fitText(font, text, box, { maxSize: 60, minSize: 26, maxLines: 4, lineHeight: 1.15 });
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${box.width + 2 * M}" height="${box.height + 2 * M}"><path d="${textPathData(font, fitted, M, M, box.width)}" fill="#000"/></svg>`;
      const ink = await inkBounds(svg);
      expect(ink, text).not.toBeNull();
      expect(ink!.x1).toBeGreaterThanOrEqual(M - 1);
      expect(ink!.y1).toBeGreaterThanOrEqual(M - 1);
      expect(ink!.x2).toBeLessThanOrEqual(M + box.width + 1);
      expect(ink!.y2).toBeLessThanOrEqual(M + box.height + 1);
    }
    const cut = fitText(font, HEADLINES.de!.repeat(3), box, {
      maxSize: 60,
      minSize: 26,
      maxLines: 4,
      lineHeight: 1.15,
    });
    expect(cut.truncated).toBe(true);
    expect(cut.lines.at(-1)).toMatch(/…$/);
    const compound = fitText(font, cases[2]!, box, {
      maxSize: 60,
      minSize: 26,
      maxLines: 4,
      lineHeight: 1.15,
    });
    expect(compound.lines.length).toBeGreaterThan(1);
    expect(compound.lines[0]).toMatch(/-$/);
  });

  it('refuses scripts it cannot lay out, naming the characters', async () => {
    for (const headline of ['الحكومة تعلن الميزانية', '政府公布预算', 'सरकार ने बजट']) {
      const error = await renderCard({ format: 'og', headline, brand: DEFAULT_BRAND }).catch(
        (e: unknown) => e,
      );
      expect(isGraphicsError(error, 'UNSUPPORTED_SCRIPT')).toBe(true);
      expect((error as Error).message).toMatch(/headline: .*U\+[0-9A-F]{4}.*Latin, Greek and Cyrillic/);
    }
    await expect(renderCard({ format: 'og', headline: '  ', brand: DEFAULT_BRAND })).rejects.toThrow(
      /headline: write/,
    );
    await expect(
      renderCard({ format: 'og', headline: 'x'.repeat(301), brand: DEFAULT_BRAND }),
    ).rejects.toThrow(/at most 300/);
  });
});

describe('social cards', () => {
  it('renders each platform size, keeps the face in the crop and places the text block inside its area', async () => {
    const photo = await testPhoto();
    // The "face" disc of the test photo, as the vision analysis would store it.
    const focus = [{ box: { x: 1128, y: 230, width: 240, height: 240 }, weight: 4 }];
    for (const format of CARD_FORMAT_NAMES) {
      const card = await renderCard({
        format,
        headline: HEADLINES.pt!,
        byline: 'Maria Silva',
        photo,
        focus,
        brand: DEFAULT_BRAND,
      });
      const { width, height } = CARD_FORMATS[format];
      expect({ w: card.width, h: card.height }).toEqual({ w: width, h: height });
      expect(card.crop!.strategy).toBe('focus');
      expect(card.crop!.coverage).toBe(1);
      const h = card.headline;
      expect(h.truncated).toBe(false);
      expect(h.box.x + h.box.width).toBeLessThanOrEqual(width);
      expect(card.byline!.box.y + card.byline!.box.height).toBeLessThanOrEqual(height);
    }
  });

  it('matches the golden OG card pixel for pixel (photo, focus crop, quote, byline, logo)', async () => {
    const logo = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="60"><rect width="240" height="60" rx="8" fill="#e4002b"/><circle cx="30" cy="30" r="18" fill="#fff"/></svg>',
    );
    const card = await renderCard({
      format: 'og',
      headline: HEADLINES.es!,
      quote: 'No hemos renunciado a un solo hospital',
      byline: 'Por Ana García · El Diario',
      photo: await testPhoto(),
      focus: [{ box: { x: 1128, y: 230, width: 240, height: 240 }, weight: 4 }],
      logo,
      brand: { ...DEFAULT_BRAND, logoPosition: 'top-right' },
    });
    expect(card.fonts.map((f) => f.version)).toContain('Version 2.37');
    await expectGolden(card.png, 'card-og.png');
  });
});
