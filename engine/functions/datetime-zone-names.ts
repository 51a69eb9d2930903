/**
 * Time-zone display names for the `z` pattern letter, as Java prints them with Locale.US.
 *
 * Why hand-written: js-joda's locale package prints CLDR *generic* names for `z` ("PT" instead of
 * "PDT") and lacks Java's legacy abbreviations ("BST", "JST", "CEST" in en-US), and
 * `@js-joda/timezone` cannot tell standard from daylight time (`isDaylightSavings` is not supported).
 * Java 9+ takes short names from CLDR and fills the gaps with its legacy `TimeZoneNames` data, so most
 * zones print their familiar abbreviation. This table holds those abbreviations for the commonly used
 * zones; other zones fall back to ICU (Intl) short names, then to Java's `GMT±hh:mm` form. Long names
 * (`zzzz`) come from ICU, which uses the same CLDR names Java does.
 */
import { Instant, type ZoneId, ZoneOffset } from '@js-joda/core';

/** [standard, daylight] abbreviations by zone id. */
const SHORT_NAMES: Record<string, readonly [string, string]> = {};

function add(std: string, dst: string, ids: string): void {
  for (const id of ids.split(/\s+/)) if (id) SHORT_NAMES[id] = [std, dst];
}

add('EST', 'EDT', `America/New_York America/Detroit America/Toronto America/Montreal America/Nassau America/Iqaluit
  America/Nipigon America/Thunder_Bay America/Indiana/Indianapolis America/Indianapolis America/Fort_Wayne
  America/Indiana/Marengo America/Indiana/Petersburg America/Indiana/Vevay America/Indiana/Vincennes
  America/Indiana/Winamac America/Kentucky/Louisville America/Louisville America/Kentucky/Monticello
  America/Panama America/Jamaica America/Cayman America/Port-au-Prince America/Grand_Turk America/Cancun
  US/Eastern US/Michigan US/East-Indiana Canada/Eastern EST5EDT Jamaica`);
add('CST', 'CDT', `America/Chicago America/Winnipeg America/Mexico_City America/Monterrey America/Merida
  America/Matamoros America/Bahia_Banderas America/Rainy_River America/Rankin_Inlet America/Resolute
  America/Menominee America/Indiana/Knox America/Knox_IN America/Indiana/Tell_City America/North_Dakota/Center
  America/North_Dakota/New_Salem America/North_Dakota/Beulah America/Regina America/Swift_Current
  America/Belize America/Costa_Rica America/El_Salvador America/Guatemala America/Tegucigalpa America/Managua
  America/Havana US/Central US/Indiana-Starke Canada/Central Canada/Saskatchewan Mexico/General CST6CDT Cuba
  Asia/Shanghai Asia/Chongqing Asia/Chungking Asia/Harbin Asia/Macau Asia/Macao Asia/Taipei PRC ROC`);
add('MST', 'MDT', `America/Denver America/Boise America/Edmonton America/Cambridge_Bay America/Inuvik America/Yellowknife
  America/Ojinaga America/Ciudad_Juarez America/Phoenix America/Creston America/Dawson_Creek America/Fort_Nelson
  America/Hermosillo America/Mazatlan America/Chihuahua America/Shiprock US/Mountain US/Arizona Canada/Mountain
  Mexico/BajaSur MST7MDT Navajo MST`);
add('PST', 'PDT', `America/Los_Angeles America/Vancouver America/Tijuana America/Ensenada America/Santa_Isabel
  US/Pacific Canada/Pacific Mexico/BajaNorte PST8PDT`);
add('AKST', 'AKDT', `America/Anchorage America/Juneau America/Nome America/Sitka America/Yakutat America/Metlakatla US/Alaska`);
add('HST', 'HDT', `Pacific/Honolulu Pacific/Johnston US/Hawaii America/Adak America/Atka US/Aleutian HST`);
add('AST', 'ADT', `America/Halifax America/Glace_Bay America/Moncton America/Goose_Bay America/Thule Atlantic/Bermuda
  America/Puerto_Rico America/Santo_Domingo America/Barbados America/Martinique America/Port_of_Spain
  America/Anguilla America/Antigua America/Aruba America/Curacao America/Dominica America/Grenada
  America/Guadeloupe America/Montserrat America/St_Kitts America/St_Lucia America/St_Thomas America/St_Vincent
  America/Tortola America/Virgin America/Blanc-Sablon America/Kralendijk America/Lower_Princes America/Marigot
  America/St_Barthelemy Canada/Atlantic
  Asia/Riyadh Asia/Baghdad Asia/Kuwait Asia/Qatar Asia/Bahrain Asia/Aden`);
add('NST', 'NDT', 'America/St_Johns Canada/Newfoundland');
add('BRT', 'BRST', 'America/Sao_Paulo Brazil/East America/Bahia America/Fortaleza America/Recife America/Belem America/Maceio America/Araguaina America/Santarem');
add('ART', 'ARST', `America/Argentina/Buenos_Aires America/Buenos_Aires America/Argentina/Cordoba America/Cordoba
  America/Argentina/Mendoza America/Mendoza America/Argentina/Salta America/Argentina/Jujuy America/Argentina/Tucuman
  America/Argentina/Catamarca America/Argentina/La_Rioja America/Argentina/San_Juan America/Argentina/San_Luis
  America/Argentina/Rio_Gallegos America/Argentina/Ushuaia`);
add('COT', 'COST', 'America/Bogota');
add('PET', 'PEST', 'America/Lima');
add('CLT', 'CLST', 'America/Santiago Chile/Continental');
add('VET', 'VET', 'America/Caracas');
add('UYT', 'UYST', 'America/Montevideo');
add('GMT', 'BST', 'Europe/London Europe/Belfast Europe/Guernsey Europe/Isle_of_Man Europe/Jersey GB GB-Eire');
add('GMT', 'IST', 'Europe/Dublin Eire');
add('WET', 'WEST', 'Europe/Lisbon Portugal Atlantic/Canary Atlantic/Madeira Atlantic/Faroe Atlantic/Faeroe WET');
add('CET', 'CEST', `Europe/Amsterdam Europe/Andorra Europe/Belgrade Europe/Berlin Europe/Bratislava Europe/Brussels
  Europe/Budapest Europe/Busingen Europe/Copenhagen Europe/Gibraltar Europe/Ljubljana Europe/Luxembourg
  Europe/Madrid Europe/Malta Europe/Monaco Europe/Oslo Europe/Paris Europe/Podgorica Europe/Prague Europe/Rome
  Europe/San_Marino Europe/Sarajevo Europe/Skopje Europe/Stockholm Europe/Tirane Europe/Vaduz Europe/Vatican
  Europe/Vienna Europe/Warsaw Europe/Zagreb Europe/Zurich Arctic/Longyearbyen Atlantic/Jan_Mayen Africa/Ceuta
  Africa/Algiers Africa/Tunis Poland CET MET`);
add('EET', 'EEST', `Europe/Athens Europe/Bucharest Europe/Chisinau Europe/Tiraspol Europe/Helsinki Europe/Kiev
  Europe/Kyiv Europe/Mariehamn Europe/Riga Europe/Sofia Europe/Tallinn Europe/Uzhgorod Europe/Vilnius
  Europe/Zaporozhye Europe/Kaliningrad Asia/Beirut Asia/Nicosia Europe/Nicosia Asia/Famagusta Asia/Damascus
  Asia/Amman Asia/Gaza Asia/Hebron Africa/Cairo Africa/Tripoli Egypt Libya EET`);
add('MSK', 'MSD', 'Europe/Moscow Europe/Simferopol Europe/Minsk Europe/Kirov Europe/Volgograd W-SU');
add('TRT', 'TRT', 'Europe/Istanbul Asia/Istanbul Turkey');
add('JST', 'JDT', 'Asia/Tokyo Japan');
add('KST', 'KDT', 'Asia/Seoul ROK Asia/Pyongyang');
add('HKT', 'HKST', 'Asia/Hong_Kong Hongkong');
add('SGT', 'SGT', 'Asia/Singapore Singapore');
add('MYT', 'MYT', 'Asia/Kuala_Lumpur Asia/Kuching');
add('IST', 'IDT', 'Asia/Kolkata Asia/Calcutta Asia/Jerusalem Asia/Tel_Aviv Israel');
add('PKT', 'PKST', 'Asia/Karachi');
add('BDT', 'BDT', 'Asia/Dhaka Asia/Dacca');
add('NPT', 'NPT', 'Asia/Kathmandu Asia/Katmandu');
add('GST', 'GST', 'Asia/Dubai Asia/Muscat');
add('IRST', 'IRDT', 'Asia/Tehran Iran');
add('ICT', 'ICT', 'Asia/Bangkok Asia/Ho_Chi_Minh Asia/Saigon Asia/Phnom_Penh Asia/Vientiane');
add('WIB', 'WIB', 'Asia/Jakarta Asia/Pontianak');
add('AEST', 'AEDT', `Australia/Sydney Australia/Melbourne Australia/Canberra Australia/Hobart Australia/Currie
  Australia/ACT Australia/NSW Australia/Victoria Australia/Tasmania Australia/Brisbane Australia/Queensland
  Australia/Lindeman`);
add('ACST', 'ACDT', 'Australia/Adelaide Australia/Broken_Hill Australia/South Australia/Yancowinna Australia/Darwin Australia/North');
add('AWST', 'AWDT', 'Australia/Perth Australia/West');
add('NZST', 'NZDT', 'Pacific/Auckland NZ Antarctica/McMurdo Antarctica/South_Pole');
add('SAST', 'SAST', 'Africa/Johannesburg Africa/Maseru Africa/Mbabane');
add('WAT', 'WAT', 'Africa/Lagos Africa/Kinshasa Africa/Luanda Africa/Douala Africa/Libreville Africa/Malabo Africa/Niamey Africa/Porto-Novo Africa/Bangui Africa/Brazzaville Africa/Ndjamena');
add('EAT', 'EAT', 'Africa/Nairobi Africa/Addis_Ababa Africa/Asmara Africa/Dar_es_Salaam Africa/Djibouti Africa/Kampala Africa/Mogadishu Indian/Antananarivo Indian/Comoro Indian/Mayotte');
add('CAT', 'CAT', 'Africa/Maputo Africa/Harare Africa/Lusaka Africa/Blantyre Africa/Bujumbura Africa/Gaborone Africa/Kigali Africa/Lubumbashi');
add('WET', 'WEST', 'Africa/Casablanca Africa/El_Aaiun');
add('UTC', 'UTC', 'UTC Etc/UTC Etc/UCT UCT Universal Zulu Etc/Universal Etc/Zulu');
add('GMT', 'GMT', 'GMT Etc/GMT Etc/GMT0 Etc/GMT+0 Etc/GMT-0 Etc/Greenwich Greenwich GMT0 Africa/Abidjan Africa/Accra Africa/Bamako Africa/Banjul Africa/Conakry Africa/Dakar Africa/Freetown Africa/Lome Africa/Monrovia Africa/Nouakchott Africa/Ouagadougou Atlantic/Reykjavik Atlantic/St_Helena Iceland');

const GMT_FAMILY = new Set(['GMT', 'Etc/GMT', 'Etc/GMT0', 'Etc/GMT+0', 'Etc/GMT-0', 'Etc/Greenwich', 'Greenwich', 'GMT0']);
const UTC_FAMILY = new Set(['UTC', 'Etc/UTC', 'Etc/UCT', 'UCT', 'Universal', 'Zulu', 'Etc/Universal', 'Etc/Zulu']);

const cache = new Map<string, string>();

/**
 * Java's daylight flag: `ZoneRules.isDaylightSavings(instant)`. js-joda's tz data has no standard
 * offsets, so daylight time is taken to be any offset above the year's smaller offset (1 January vs 1 July).
 */
export function isDaylightSavings(zone: ZoneId, instant: Instant): boolean {
  const rules = zone.rules();
  if (rules.isFixedOffset()) return false;
  const offset = rules.offset(instant).totalSeconds();
  const year = new Date(instant.toEpochMilli()).getUTCFullYear();
  if (!Number.isFinite(year)) return false;
  const jan = rules.offset(instantOf(Date.UTC(year, 0, 1))).totalSeconds();
  const jul = rules.offset(instantOf(Date.UTC(year, 6, 1))).totalSeconds();
  return offset > Math.min(jan, jul);
}

function instantOf(ms: number): Instant {
  return Instant.ofEpochMilli(ms);
}

/** The text Java prints for `z` (short, 1–3 letters) or `zzzz` (full) in Locale.US. */
export function zoneDisplayName(zone: ZoneId, instant: Instant, full: boolean): string {
  if (zone instanceof ZoneOffset) return zone.id();
  const id = zone.id();
  const dst = isDaylightSavings(zone, instant);
  const key = `${id}|${dst ? 1 : 0}|${full ? 1 : 0}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const name = full ? fullName(id, dst, instant) : shortName(id, dst, instant);
  cache.set(key, name);
  return name;
}

function shortName(id: string, dst: boolean, instant: Instant): string {
  const known = SHORT_NAMES[id];
  if (known) return dst ? known[1] : known[0];
  const etc = /^Etc\/GMT([+-])(\d{1,2})$/.exec(id);
  if (etc) return `GMT${etc[1] === '+' ? '-' : '+'}${etc[2]!.padStart(2, '0')}:00`;
  for (const locale of ['en-US', 'en-GB']) {
    const name = intlName(id, locale, 'short', instant);
    if (name === null) return id;
    if (!/^GMT[+-]/.test(name)) return name;
  }
  return javaGmtForm(intlName(id, 'en-US', 'short', instant) ?? id);
}

function fullName(id: string, dst: boolean, instant: Instant): string {
  if (GMT_FAMILY.has(id)) return 'Greenwich Mean Time';
  if (UTC_FAMILY.has(id)) return 'Coordinated Universal Time';
  if (id === 'Europe/London' && dst) return 'British Summer Time';
  const name = intlName(id, 'en-US', 'long', instant);
  if (name === null) return id;
  return /^GMT[+-]/.test(name) ? javaGmtForm(name) : name;
}

/** ICU writes `GMT+5:30` / `GMT-5`; Java writes `GMT+05:30` / `GMT-05:00`. */
function javaGmtForm(name: string): string {
  const m = /^GMT([+-])(\d{1,2})(?::(\d{2}))?$/.exec(name);
  return m ? `GMT${m[1]}${m[2]!.padStart(2, '0')}:${m[3] ?? '00'}` : name;
}

function intlName(id: string, locale: string, style: 'short' | 'long', instant: Instant): string | null {
  try {
    const parts = new Intl.DateTimeFormat(locale, { timeZone: id, timeZoneName: style }).formatToParts(new Date(instant.toEpochMilli()));
    return parts.find((p) => p.type === 'timeZoneName')?.value ?? null;
  } catch {
    return null;
  }
}
