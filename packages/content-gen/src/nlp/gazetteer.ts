/** Small built-in name lists for entity typing. Lower-case; multi-word entries separated by "|". */

const COUNTRIES = `afghanistan|albania|algeria|andorra|angola|argentina|armenia|australia|austria|azerbaijan|bahamas|bahrain|
bangladesh|barbados|belarus|belgium|belize|benin|bhutan|bolivia|bosnia|botswana|brazil|brunei|bulgaria|burkina faso|
burundi|cambodia|cameroon|canada|chad|chile|china|colombia|comoros|congo|costa rica|croatia|cuba|cyprus|czech republic|
czechia|denmark|djibouti|dominica|dominican republic|ecuador|egypt|el salvador|eritrea|estonia|eswatini|ethiopia|fiji|
finland|france|gabon|gambia|georgia|germany|ghana|greece|grenada|guatemala|guinea|guyana|haiti|honduras|hungary|iceland|
india|indonesia|iran|iraq|ireland|israel|italy|ivory coast|jamaica|japan|jordan|kazakhstan|kenya|kiribati|kosovo|kuwait|
kyrgyzstan|laos|latvia|lebanon|lesotho|liberia|libya|liechtenstein|lithuania|luxembourg|madagascar|malawi|malaysia|
maldives|mali|malta|mauritania|mauritius|mexico|moldova|monaco|mongolia|montenegro|morocco|mozambique|myanmar|namibia|
nepal|netherlands|new zealand|nicaragua|niger|nigeria|north korea|north macedonia|norway|oman|pakistan|palau|palestine|
panama|papua new guinea|paraguay|peru|philippines|poland|portugal|qatar|romania|russia|rwanda|samoa|san marino|
saudi arabia|senegal|serbia|seychelles|sierra leone|singapore|slovakia|slovenia|somalia|south africa|south korea|
south sudan|spain|sri lanka|sudan|suriname|sweden|switzerland|syria|taiwan|tajikistan|tanzania|thailand|togo|tonga|
trinidad|tunisia|turkey|türkiye|turkmenistan|tuvalu|uganda|ukraine|united arab emirates|united kingdom|united states|
uruguay|uzbekistan|vanuatu|vatican|venezuela|vietnam|yemen|zambia|zimbabwe|england|scotland|wales|northern ireland|
britain|great britain|america|u.s.|us|usa|u.k.|uk|uae|korea|holland|españa|deutschland|méxico|brasil|perú|alemania|
francia|inglaterra|estados unidos|allemagne|angleterre|espagne|états-unis|italie|spanien|frankreich|italien|
vereinigte staaten|österreich|schweiz|russland|china|japon|japón`;

const REGIONS = `europe|asia|africa|north america|south america|latin america|middle east|antarctica|oceania|caribbean|
balkans|scandinavia|siberia|gaza|west bank|crimea|donbas|kashmir|tibet|hong kong|macau|puerto rico|greenland|
gulf of mexico|mediterranean|atlantic|pacific|arctic|sahara|amazon|alps|himalayas|silicon valley|wall street|
alabama|alaska|arizona|arkansas|california|colorado|connecticut|delaware|florida|hawaii|idaho|illinois|indiana|iowa|
kansas|kentucky|louisiana|maine|maryland|massachusetts|michigan|minnesota|mississippi|missouri|montana|nebraska|nevada|
new hampshire|new jersey|new mexico|new york|north carolina|north dakota|ohio|oklahoma|oregon|pennsylvania|
rhode island|south carolina|south dakota|tennessee|texas|utah|vermont|virginia|washington|west virginia|wisconsin|
wyoming|ontario|quebec|british columbia|alberta|bavaria|catalonia|andalusia|normandy|brittany|provence|lombardy|
tuscany|sicily|queensland|new south wales|victoria|punjab|bengal|kerala`;

const CITIES = `london|paris|berlin|madrid|rome|lisbon|dublin|brussels|amsterdam|vienna|prague|warsaw|budapest|athens|
stockholm|oslo|copenhagen|helsinki|moscow|kyiv|kiev|kharkiv|odesa|minsk|istanbul|ankara|jerusalem|tel aviv|beirut|
damascus|baghdad|tehran|riyadh|dubai|abu dhabi|doha|cairo|lagos|nairobi|johannesburg|cape town|addis ababa|khartoum|
kinshasa|accra|dakar|casablanca|tunis|algiers|new delhi|delhi|mumbai|kolkata|chennai|bangalore|karachi|lahore|
islamabad|kabul|dhaka|kathmandu|colombo|beijing|shanghai|hong kong|shenzhen|guangzhou|wuhan|taipei|tokyo|osaka|
seoul|pyongyang|bangkok|hanoi|ho chi minh city|manila|jakarta|singapore|kuala lumpur|sydney|melbourne|brisbane|
perth|auckland|wellington|new york|new york city|los angeles|chicago|houston|phoenix|philadelphia|san antonio|
san diego|dallas|san francisco|seattle|boston|miami|atlanta|denver|detroit|las vegas|washington|baltimore|
new orleans|nashville|portland|minneapolis|st. louis|cleveland|pittsburgh|orlando|tampa|austin|fort lauderdale|
toronto|montreal|vancouver|ottawa|mexico city|havana|bogotá|bogota|lima|santiago|buenos aires|são paulo|sao paulo|
rio de janeiro|brasília|caracas|quito|montevideo|barcelona|valencia|seville|sevilla|bilbao|milan|naples|turin|
florence|venice|munich|münchen|hamburg|frankfurt|cologne|köln|stuttgart|düsseldorf|lyon|marseille|toulouse|nice|
bordeaux|lille|strasbourg|geneva|zurich|zürich|bern|basel|manchester|liverpool|birmingham|leeds|glasgow|edinburgh|
cardiff|belfast|bristol|oxford|cambridge|porto|rotterdam|antwerp|gdansk|krakow|bucharest|sofia|belgrade|zagreb|
sarajevo|tbilisi|yerevan|baku|tashkent|almaty|kathmandu|gaza city|mariupol|kherson|donetsk|luhansk|surrey`;

const FIRST_NAMES = `aaron|adam|adrian|ahmed|alan|albert|alex|alexander|alexandra|ali|alice|alicia|amanda|amy|ana|andrea|andrew|
angela|anna|anne|anthony|antonio|barack|barbara|ben|benjamin|bernie|beth|betty|bill|bob|boris|brad|brian|bruce|carl|
carlos|carmen|carol|caroline|catherine|charles|charlie|chris|christian|christina|christine|christopher|claire|
claudia|daniel|david|deborah|dennis|diana|diego|donald|dorothy|doug|edward|elena|elizabeth|ellen|emily|emma|emmanuel|
eric|erik|eva|frank|françois|fernando|francisco|gary|george|gordon|grace|greg|hannah|harry|heather|helen|henry|hillary|
hugo|ian|isabel|jack|jacob|james|jane|janet|jason|javier|jean|jeff|jeffrey|jennifer|jeremy|jerry|jessica|jim|joan|
joe|john|jonathan|jordan|jorge|josé|jose|joseph|joshua|juan|judith|julia|julian|julie|justin|karen|kate|katherine|
kathleen|keir|kelly|kevin|kim|kamala|larry|laura|lauren|lisa|liz|luis|luke|manuel|marc|margaret|maria|marie|mario|
mark|martin|mary|matthew|michael|michelle|miguel|mike|mohammed|muhammad|nancy|natalia|nathan|nicholas|nick|nicola|
olaf|olivia|oscar|pablo|pamela|patricia|patrick|paul|pedro|peter|philip|pierre|rachel|ralph|raymond|rebecca|richard|
rishi|robert|roger|ronald|rose|ruth|ryan|sam|samuel|sandra|sara|sarah|scott|sean|sergei|sharon|simon|sophie|stephen|
steve|steven|susan|theresa|thomas|tim|timothy|tom|tony|valerie|vladimir|volodymyr|walter|william|xi|yuki|zoe|emmanuel|
angela|giorgia|pedro|olaf|friedrich|ursula|jens|recep|narendra|shinzo|fumio|justin|jacinda|anthony|cyril|luiz|javier|
gabriel|ricardo|rafael|sergio|alejandro|marta|lucía|lucia|sofia|camille|louis|nicolas|jürgen|hans|klaus|stefan|
wolfgang|anja|katrin|greta|lionel|cristiano|neymar|kylian|roger|serena|novak|rafael|tiger|lebron|simone|jake|tom|
laura|arlene|robin|doc|wilma|pushpa|anuradha`;

const PERSON_TITLES = `mr|mrs|ms|miss|dr|prof|professor|sir|dame|lord|lady|president|vice president|prime minister|
minister|secretary|senator|sen|rep|representative|gov|governor|mayor|judge|justice|king|queen|prince|princess|pope|
father|sister|rev|reverend|chancellor|chief executive|ceo|chairman|chairwoman|chair|director|coach|manager|captain|
general|gen|col|colonel|lt|lieutenant|sgt|sergeant|officer|detective|inspector|commissioner|ambassador|spokesman|
spokeswoman|spokesperson|sheriff|chief|dr.|mr.|mrs.|ms.|sr|sra|señor|señora|don|doña|presidente|presidenta|ministro|
ministra|alcalde|alcaldesa|m.|mme|monsieur|madame|président|présidente|ministre|maire|herr|frau|bundeskanzler|
bundeskanzlerin|kanzler|kanzlerin|präsident|präsidentin|minister|ministerin|bürgermeister|bürgermeisterin`;

const ORG_WORDS = `inc|inc.|corp|corp.|corporation|company|co|co.|ltd|ltd.|llc|plc|group|holdings|bank|university|college|
school|institute|institution|foundation|association|federation|union|league|committee|commission|council|ministry|
department|agency|authority|bureau|office|party|parliament|congress|senate|assembly|court|police|army|navy|
air force|military|forces|fc|club|united|city|team|airlines|airways|motors|systems|technologies|labs|laboratories|
pharmaceuticals|network|news|times|post|journal|herald|tribune|guardian|press|media|television|radio|studios|
records|church|hospital|clinic|centre|center|organization|organisation|society|trust|fund|reserve|exchange|board|
service|services|program|programme|initiative|alliance|coalition|movement|front|brigade|nations|cartel|gang|
universidad|universidade|université|universität|partido|parti|partei|banco|banque|empresa|gobierno|gouvernement|
regierung|ministerio|ministère|ministerium|ayuntamiento|stiftung|verband|gmbh|ag|sa|s.a.`;

const KNOWN_ORGS = `cnn|bbc|reuters|ap|afp|nasa|fbi|cia|nsa|nato|un|united nations|eu|european union|who|imf|
world bank|opec|fifa|uefa|ioc|nba|nfl|mlb|nhl|google|apple|microsoft|amazon|meta|facebook|twitter|tesla|openai|
netflix|ibm|intel|nvidia|samsung|sony|toyota|volkswagen|bmw|siemens|shell|bp|exxon|walmart|disney|boeing|airbus|
pfizer|moderna|hsbc|barclays|goldman sachs|jpmorgan|morgan stanley|real madrid|fc barcelona|manchester united|chelsea|
arsenal|bayern munich|juventus|benfica|red cross|amnesty international|greenpeace|hamas|hezbollah|
taliban|isis|pentagon|white house|kremlin|downing street|congress|senate|supreme court|federal reserve|ecb|
bundesbank|bundestag|nhs|mi5|mi6|interpol|europol|unicef|unesco|wto|oecd|g7|g20|asean|african union|
team rubicon|shelterbox`;

function toSet(list: string): ReadonlySet<string> {
  return new Set(
    list
      .split('|')
      .map((s) => s.trim())
      .filter(Boolean),
  );
}

export const PLACES: ReadonlySet<string> = new Set([
  ...toSet(COUNTRIES),
  ...toSet(REGIONS),
  ...toSet(CITIES),
]);
export const FIRST_NAME_SET: ReadonlySet<string> = toSet(FIRST_NAMES);
export const PERSON_TITLE_SET: ReadonlySet<string> = toSet(PERSON_TITLES);
export const ORG_WORD_SET: ReadonlySet<string> = toSet(ORG_WORDS);
export const KNOWN_ORG_SET: ReadonlySet<string> = toSet(KNOWN_ORGS);

export const PLACE_WORDS: ReadonlySet<string> = toSet(
  `river|lake|mountain|mount|mountains|valley|island|islands|bay|sea|ocean|gulf|coast|county|province|state|region|
district|street|avenue|square|park|city|town|village|airport|station|bridge|desert|forest|canyon|peninsula|río|rue|
straße|strasse|platz|calle|plaza|avenida|lago|monte|île|mer`,
);
