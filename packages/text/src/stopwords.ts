import type { Lang } from './lang.js';

const EN = `a about above after again against all almost also although always am among an and another any anyone
anything are around as at back be became because been before being below between both but by can cannot could did
do does doing done down during each either else even ever every few for from further get gets got had has have
having he her here hers herself him himself his how however i if in into is it its itself just last least less
like made make many may me might more most much must my myself near need neither never new next no nor not now of
off often on once one only or other others our ours ourselves out over own per perhaps put quite rather really
said same say says see seen she should since so some still such than that the their theirs them themselves then
there these they this those though through thus to too told toward towards under until up upon us very was we
well were what whatever when where whether which while who whom whose why will with within without would yet you
your yours yourself yourselves s t d ll m re ve n't 's 'd 'll 're 've mr mrs ms dr also told according added
including week year years day days time today yesterday tomorrow monday tuesday wednesday thursday friday
saturday sunday percent cent`;

const ES = `a al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante e el ella
ellas ellos en entre era eran es esa esas ese eso esos esta estaba estas este esto estos fue fueron ha han hasta
hay la las le les lo los mas más me mi mis mucho muy nada ni no nos nuestra nuestro o otra otras otro otros para
pero poco por porque que qué quien se sea ser si sí sin sobre son su sus también tan te tiene tienen todo todos
tu un una unas uno unos y ya yo dijo según año años ayer hoy`;

const FR = `a à au aux avec ce ces cette dans de des du elle elles en est et été être il ils je la le les leur leurs
lui ma mais me même mes moi mon ne nos notre nous on ont ou où par pas plus pour qu que qui sa se ses son sont
sur ta te tes toi ton tu un une vos votre vous y a été était ont avait sans entre après avant aussi comme très
selon dit année ans hier aujourd'hui l d c j n s qu'il`;

const DE = `aber alle allem allen aller alles als also am an ander andere auch auf aus bei bin bis bist da damit dann
das dass dem den denn der des die dies diese diesem diesen dieser doch dort du durch ein eine einem einen einer
eines er es für gegen hat hatte hatten hier hin ich ihm ihn ihr ihre im in ist ja jede jedem jeden jeder jetzt
kann kein keine mit muss nach nicht noch nun nur ob oder ohne sehr sein seine sich sie sind so soll über um und
uns unter vom von vor war waren was weil wenn werden wie wir wird wurde wurden zu zum zur sagte laut jahr jahre
gestern heute`;

function toSet(list: string): ReadonlySet<string> {
  return new Set(list.split(/\s+/).filter(Boolean));
}

const LISTS: Record<Lang, ReadonlySet<string>> = {
  en: toSet(EN),
  es: toSet(ES),
  fr: toSet(FR),
  de: toSet(DE),
};

export function stopwords(lang: Lang): ReadonlySet<string> {
  return LISTS[lang];
}

export function isStopword(word: string, lang: Lang): boolean {
  return LISTS[lang].has(word.toLowerCase());
}
