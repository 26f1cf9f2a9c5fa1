import { describe, expect, it } from 'vitest';
import { translateDocument } from '../src/index.js';
import { identityEngine, UpperCaseEngine } from './fakes.js';

const STORY = [
  '---',
  'title: Storm report',
  'tags: [weather]',
  '---',
  '# Storm hits the coast',
  '',
  'The **storm** reached the [north coast](https://example.com/coast "Map of the coast") on Monday.',
  'Officials said roads are closed, see https://example.com/roads for updates.',
  '',
  '![Waves over the wall](https://cdn.example.com/waves.jpg "Harbour wall")',
  '',
  '- First, call `help_line --now` for help',
  '- Second, check the <abbr title="x">forecast</abbr>',
  '',
  '> Stay at home tonight.',
  '',
  '| Town | Status |',
  '|------|--------|',
  '| Port | Flooded streets |',
  '',
  '```bash',
  'echo "the red house"',
  '```',
  '',
  '    indented code stays here',
  '',
  '1. Read the [guide][guide] first.',
  '',
  '[guide]: https://example.com/guide',
  '',
].join('\n');

describe('Markdown documents', () => {
  it('translates text and keeps syntax, URLs and code', async () => {
    const engine = new UpperCaseEngine();
    const out = (await translateDocument({ text: STORY, format: 'markdown', from: 'en', to: 'es', engine }))
      .text;
    expect(out).toContain('---\ntitle: Storm report\ntags: [weather]\n---\n');
    expect(out).toContain('# STORM HITS THE COAST\n');
    expect(out).toContain(
      'THE **STORM** REACHED THE [NORTH COAST](https://example.com/coast "MAP OF THE COAST") ON MONDAY. OFFICIALS SAID ROADS ARE CLOSED, SEE https://example.com/roads FOR UPDATES.\n',
    );
    expect(out).toContain('![WAVES OVER THE WALL](https://cdn.example.com/waves.jpg "HARBOUR WALL")');
    expect(out).toContain('- FIRST, CALL `help_line --now` FOR HELP');
    expect(out).toContain('- SECOND, CHECK THE <abbr title="x">FORECAST</abbr>');
    expect(out).toContain('> STAY AT HOME TONIGHT.');
    expect(out).toContain('| Town | Status |'.toUpperCase());
    expect(out).toContain('|------|--------|\n| PORT | FLOODED STREETS |');
    expect(out).toContain('```bash\necho "the red house"\n```');
    expect(out).toContain('    indented code stays here');
    expect(out).toContain('1. READ THE [GUIDE][guide] FIRST.');
    expect(out).toContain('[guide]: https://example.com/guide');
    const sent = engine.calls.flat().join('\n');
    expect(sent).not.toMatch(/example\.com|red house|help_line|indented/);
  });

  it('gives the document back byte for byte through an engine that changes nothing, except joined paragraph lines', async () => {
    const out = (
      await translateDocument({
        text: STORY,
        format: 'markdown',
        from: 'en',
        to: 'es',
        engine: identityEngine(),
      })
    ).text;
    expect(out).toBe(STORY.replace('Monday.\nOfficials', 'Monday. Officials'));
  });

  it('keeps intraword underscores and literal asterisks as text', async () => {
    const engine = new UpperCaseEngine();
    const out = (
      await translateDocument({
        text: 'Prices rose 2 * 3 times for _all_ users of file_name.txt',
        format: 'markdown',
        from: 'en',
        to: 'es',
        engine,
      })
    ).text;
    expect(out).toBe('PRICES ROSE 2 * 3 TIMES FOR _ALL_ USERS OF file_name.txt');
  });

  it('warns about a code fence that is never closed and keeps it as code', async () => {
    const result = await translateDocument({
      text: 'Intro text.\n\n```\nthe code',
      format: 'markdown',
      from: 'en',
      to: 'es',
      engine: new UpperCaseEngine(),
    });
    expect(result.text).toBe('INTRO TEXT.\n\n```\nthe code');
    expect(result.warnings).toHaveLength(1);
  });
});
