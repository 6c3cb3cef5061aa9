//! The crosswalk from Correlates of War state codes and abbreviations to ISO 3166-1 alpha-3
//! ids, and the ISO 3166-1 list itself (alpha-2, alpha-3, a common English name).
//!
//! Written from public tables: the ISO 3166-1 list (ISO 3166 Maintenance Agency, as published
//! in Debian's iso-codes), the withdrawn codes of ISO 3166-3, and the COW State System
//! Membership List v2016 (`states2016.csv`), cross-checked against the `cown`/`iso3c` columns
//! of the countrycode project.
//!
//! The rule for a COW state's id, documented in `docs/maintaining.md`:
//!
//! 1. the ISO 3166-1 alpha-3 code of the state it is, or that continues it (Germany 255 is
//!    `DEU`, Russia/USSR 365 is `RUS`, Yugoslavia/Serbia 345 is `SRB`);
//! 2. else the ISO 3166-3 code it had before it was withdrawn (German Democratic Republic
//!    `DDR`, Czechoslovakia `CSK`, South Yemen `YMD`);
//! 3. else a code in wide use outside ISO (Kosovo `XKX`);
//! 4. else the COW abbreviation, when it is not an ISO 3166 code, current or former (Bavaria
//!    `BAV`, Two Sicilies `SIC`, Yemen Arab Republic `YAR`, West Germany `GFR`, Papal States
//!    `PAP`);
//! 5. else `X` and the abbreviation's first two letters, from ISO's user-assigned range (Korea
//!    730, whose `KOR` is South Korea's code: `XKO`).
//!
//! Codes that the table does not know (a later COW version) follow rules 4 and 5.

use std::collections::HashMap;
use std::sync::LazyLock;

/// A country of ISO 3166-1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country {
    /// Alpha-2 code (`BY`).
    pub alpha2: &'static str,
    /// Alpha-3 code (`BLR`).
    pub alpha3: &'static str,
    /// Common English name (`Belarus`).
    pub name: &'static str,
}

const fn c(alpha2: &'static str, alpha3: &'static str, name: &'static str) -> Country {
    Country {
        alpha2,
        alpha3,
        name,
    }
}

/// ISO 3166-1, by alpha-3 code.
pub const ISO: &[Country] = &[
    c("AW", "ABW", "Aruba"),
    c("AF", "AFG", "Afghanistan"),
    c("AO", "AGO", "Angola"),
    c("AI", "AIA", "Anguilla"),
    c("AX", "ALA", "Åland Islands"),
    c("AL", "ALB", "Albania"),
    c("AD", "AND", "Andorra"),
    c("AE", "ARE", "United Arab Emirates"),
    c("AR", "ARG", "Argentina"),
    c("AM", "ARM", "Armenia"),
    c("AS", "ASM", "American Samoa"),
    c("AQ", "ATA", "Antarctica"),
    c("TF", "ATF", "French Southern Territories"),
    c("AG", "ATG", "Antigua and Barbuda"),
    c("AU", "AUS", "Australia"),
    c("AT", "AUT", "Austria"),
    c("AZ", "AZE", "Azerbaijan"),
    c("BI", "BDI", "Burundi"),
    c("BE", "BEL", "Belgium"),
    c("BJ", "BEN", "Benin"),
    c("BQ", "BES", "Bonaire, Sint Eustatius and Saba"),
    c("BF", "BFA", "Burkina Faso"),
    c("BD", "BGD", "Bangladesh"),
    c("BG", "BGR", "Bulgaria"),
    c("BH", "BHR", "Bahrain"),
    c("BS", "BHS", "Bahamas"),
    c("BA", "BIH", "Bosnia and Herzegovina"),
    c("BL", "BLM", "Saint Barthélemy"),
    c("BY", "BLR", "Belarus"),
    c("BZ", "BLZ", "Belize"),
    c("BM", "BMU", "Bermuda"),
    c("BO", "BOL", "Bolivia"),
    c("BR", "BRA", "Brazil"),
    c("BB", "BRB", "Barbados"),
    c("BN", "BRN", "Brunei"),
    c("BT", "BTN", "Bhutan"),
    c("BV", "BVT", "Bouvet Island"),
    c("BW", "BWA", "Botswana"),
    c("CF", "CAF", "Central African Republic"),
    c("CA", "CAN", "Canada"),
    c("CC", "CCK", "Cocos (Keeling) Islands"),
    c("CH", "CHE", "Switzerland"),
    c("CL", "CHL", "Chile"),
    c("CN", "CHN", "China"),
    c("CI", "CIV", "Côte d'Ivoire"),
    c("CM", "CMR", "Cameroon"),
    c("CD", "COD", "Democratic Republic of the Congo"),
    c("CG", "COG", "Republic of the Congo"),
    c("CK", "COK", "Cook Islands"),
    c("CO", "COL", "Colombia"),
    c("KM", "COM", "Comoros"),
    c("CV", "CPV", "Cape Verde"),
    c("CR", "CRI", "Costa Rica"),
    c("CU", "CUB", "Cuba"),
    c("CW", "CUW", "Curaçao"),
    c("CX", "CXR", "Christmas Island"),
    c("KY", "CYM", "Cayman Islands"),
    c("CY", "CYP", "Cyprus"),
    c("CZ", "CZE", "Czechia"),
    c("DE", "DEU", "Germany"),
    c("DJ", "DJI", "Djibouti"),
    c("DM", "DMA", "Dominica"),
    c("DK", "DNK", "Denmark"),
    c("DO", "DOM", "Dominican Republic"),
    c("DZ", "DZA", "Algeria"),
    c("EC", "ECU", "Ecuador"),
    c("EG", "EGY", "Egypt"),
    c("ER", "ERI", "Eritrea"),
    c("EH", "ESH", "Western Sahara"),
    c("ES", "ESP", "Spain"),
    c("EE", "EST", "Estonia"),
    c("ET", "ETH", "Ethiopia"),
    c("FI", "FIN", "Finland"),
    c("FJ", "FJI", "Fiji"),
    c("FK", "FLK", "Falkland Islands"),
    c("FR", "FRA", "France"),
    c("FO", "FRO", "Faroe Islands"),
    c("FM", "FSM", "Micronesia"),
    c("GA", "GAB", "Gabon"),
    c("GB", "GBR", "United Kingdom"),
    c("GE", "GEO", "Georgia"),
    c("GG", "GGY", "Guernsey"),
    c("GH", "GHA", "Ghana"),
    c("GI", "GIB", "Gibraltar"),
    c("GN", "GIN", "Guinea"),
    c("GP", "GLP", "Guadeloupe"),
    c("GM", "GMB", "Gambia"),
    c("GW", "GNB", "Guinea-Bissau"),
    c("GQ", "GNQ", "Equatorial Guinea"),
    c("GR", "GRC", "Greece"),
    c("GD", "GRD", "Grenada"),
    c("GL", "GRL", "Greenland"),
    c("GT", "GTM", "Guatemala"),
    c("GF", "GUF", "French Guiana"),
    c("GU", "GUM", "Guam"),
    c("GY", "GUY", "Guyana"),
    c("HK", "HKG", "Hong Kong"),
    c("HM", "HMD", "Heard Island and McDonald Islands"),
    c("HN", "HND", "Honduras"),
    c("HR", "HRV", "Croatia"),
    c("HT", "HTI", "Haiti"),
    c("HU", "HUN", "Hungary"),
    c("ID", "IDN", "Indonesia"),
    c("IM", "IMN", "Isle of Man"),
    c("IN", "IND", "India"),
    c("IO", "IOT", "British Indian Ocean Territory"),
    c("IE", "IRL", "Ireland"),
    c("IR", "IRN", "Iran"),
    c("IQ", "IRQ", "Iraq"),
    c("IS", "ISL", "Iceland"),
    c("IL", "ISR", "Israel"),
    c("IT", "ITA", "Italy"),
    c("JM", "JAM", "Jamaica"),
    c("JE", "JEY", "Jersey"),
    c("JO", "JOR", "Jordan"),
    c("JP", "JPN", "Japan"),
    c("KZ", "KAZ", "Kazakhstan"),
    c("KE", "KEN", "Kenya"),
    c("KG", "KGZ", "Kyrgyzstan"),
    c("KH", "KHM", "Cambodia"),
    c("KI", "KIR", "Kiribati"),
    c("KN", "KNA", "Saint Kitts and Nevis"),
    c("KR", "KOR", "South Korea"),
    c("KW", "KWT", "Kuwait"),
    c("LA", "LAO", "Laos"),
    c("LB", "LBN", "Lebanon"),
    c("LR", "LBR", "Liberia"),
    c("LY", "LBY", "Libya"),
    c("LC", "LCA", "Saint Lucia"),
    c("LI", "LIE", "Liechtenstein"),
    c("LK", "LKA", "Sri Lanka"),
    c("LS", "LSO", "Lesotho"),
    c("LT", "LTU", "Lithuania"),
    c("LU", "LUX", "Luxembourg"),
    c("LV", "LVA", "Latvia"),
    c("MO", "MAC", "Macao"),
    c("MF", "MAF", "Saint Martin"),
    c("MA", "MAR", "Morocco"),
    c("MC", "MCO", "Monaco"),
    c("MD", "MDA", "Moldova"),
    c("MG", "MDG", "Madagascar"),
    c("MV", "MDV", "Maldives"),
    c("MX", "MEX", "Mexico"),
    c("MH", "MHL", "Marshall Islands"),
    c("MK", "MKD", "North Macedonia"),
    c("ML", "MLI", "Mali"),
    c("MT", "MLT", "Malta"),
    c("MM", "MMR", "Myanmar"),
    c("ME", "MNE", "Montenegro"),
    c("MN", "MNG", "Mongolia"),
    c("MP", "MNP", "Northern Mariana Islands"),
    c("MZ", "MOZ", "Mozambique"),
    c("MR", "MRT", "Mauritania"),
    c("MS", "MSR", "Montserrat"),
    c("MQ", "MTQ", "Martinique"),
    c("MU", "MUS", "Mauritius"),
    c("MW", "MWI", "Malawi"),
    c("MY", "MYS", "Malaysia"),
    c("YT", "MYT", "Mayotte"),
    c("NA", "NAM", "Namibia"),
    c("NC", "NCL", "New Caledonia"),
    c("NE", "NER", "Niger"),
    c("NF", "NFK", "Norfolk Island"),
    c("NG", "NGA", "Nigeria"),
    c("NI", "NIC", "Nicaragua"),
    c("NU", "NIU", "Niue"),
    c("NL", "NLD", "Netherlands"),
    c("NO", "NOR", "Norway"),
    c("NP", "NPL", "Nepal"),
    c("NR", "NRU", "Nauru"),
    c("NZ", "NZL", "New Zealand"),
    c("OM", "OMN", "Oman"),
    c("PK", "PAK", "Pakistan"),
    c("PA", "PAN", "Panama"),
    c("PN", "PCN", "Pitcairn"),
    c("PE", "PER", "Peru"),
    c("PH", "PHL", "Philippines"),
    c("PW", "PLW", "Palau"),
    c("PG", "PNG", "Papua New Guinea"),
    c("PL", "POL", "Poland"),
    c("PR", "PRI", "Puerto Rico"),
    c("KP", "PRK", "North Korea"),
    c("PT", "PRT", "Portugal"),
    c("PY", "PRY", "Paraguay"),
    c("PS", "PSE", "Palestine"),
    c("PF", "PYF", "French Polynesia"),
    c("QA", "QAT", "Qatar"),
    c("RE", "REU", "Réunion"),
    c("RO", "ROU", "Romania"),
    c("RU", "RUS", "Russia"),
    c("RW", "RWA", "Rwanda"),
    c("SA", "SAU", "Saudi Arabia"),
    c("SD", "SDN", "Sudan"),
    c("SN", "SEN", "Senegal"),
    c("SG", "SGP", "Singapore"),
    c("GS", "SGS", "South Georgia and the South Sandwich Islands"),
    c("SH", "SHN", "Saint Helena, Ascension and Tristan da Cunha"),
    c("SJ", "SJM", "Svalbard and Jan Mayen"),
    c("SB", "SLB", "Solomon Islands"),
    c("SL", "SLE", "Sierra Leone"),
    c("SV", "SLV", "El Salvador"),
    c("SM", "SMR", "San Marino"),
    c("SO", "SOM", "Somalia"),
    c("PM", "SPM", "Saint Pierre and Miquelon"),
    c("RS", "SRB", "Serbia"),
    c("SS", "SSD", "South Sudan"),
    c("ST", "STP", "Sao Tome and Principe"),
    c("SR", "SUR", "Suriname"),
    c("SK", "SVK", "Slovakia"),
    c("SI", "SVN", "Slovenia"),
    c("SE", "SWE", "Sweden"),
    c("SZ", "SWZ", "Eswatini"),
    c("SX", "SXM", "Sint Maarten"),
    c("SC", "SYC", "Seychelles"),
    c("SY", "SYR", "Syria"),
    c("TC", "TCA", "Turks and Caicos Islands"),
    c("TD", "TCD", "Chad"),
    c("TG", "TGO", "Togo"),
    c("TH", "THA", "Thailand"),
    c("TJ", "TJK", "Tajikistan"),
    c("TK", "TKL", "Tokelau"),
    c("TM", "TKM", "Turkmenistan"),
    c("TL", "TLS", "Timor-Leste"),
    c("TO", "TON", "Tonga"),
    c("TT", "TTO", "Trinidad and Tobago"),
    c("TN", "TUN", "Tunisia"),
    c("TR", "TUR", "Turkey"),
    c("TV", "TUV", "Tuvalu"),
    c("TW", "TWN", "Taiwan"),
    c("TZ", "TZA", "Tanzania"),
    c("UG", "UGA", "Uganda"),
    c("UA", "UKR", "Ukraine"),
    c("UM", "UMI", "United States Minor Outlying Islands"),
    c("UY", "URY", "Uruguay"),
    c("US", "USA", "United States"),
    c("UZ", "UZB", "Uzbekistan"),
    c("VA", "VAT", "Holy See"),
    c("VC", "VCT", "Saint Vincent and the Grenadines"),
    c("VE", "VEN", "Venezuela"),
    c("VG", "VGB", "British Virgin Islands"),
    c("VI", "VIR", "United States Virgin Islands"),
    c("VN", "VNM", "Vietnam"),
    c("VU", "VUT", "Vanuatu"),
    c("WF", "WLF", "Wallis and Futuna"),
    c("WS", "WSM", "Samoa"),
    c("YE", "YEM", "Yemen"),
    c("ZA", "ZAF", "South Africa"),
    c("ZM", "ZMB", "Zambia"),
    c("ZW", "ZWE", "Zimbabwe"),
];

/// Alpha-3 codes withdrawn from ISO 3166-1 (ISO 3166-3), and `ROM` (Romania until 2002).
pub const FORMER: &[&str] = &[
    "AFI", "ANT", "ATB", "ATN", "BUR", "BYS", "CSK", "CTE", "DDR", "DHY", "FXX", "GEL", "HVO",
    "JTN", "MID", "NHB", "NTZ", "PCI", "PCZ", "PUS", "RHO", "ROM", "SCG", "SKM", "SUN", "TMP",
    "VDR", "WAK", "YMD", "YUG", "ZAR",
];

/// A state of the COW state system and its dipgraph id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CowState {
    /// COW state code (`370`).
    pub ccode: u32,
    /// COW abbreviation (`BLR`, `UKG`, `GMY`).
    pub abbreviation: &'static str,
    /// dipgraph id: see the rule in the module documentation.
    pub id: &'static str,
    /// The name COW gives it.
    pub cow_name: &'static str,
}

const fn w(
    ccode: u32,
    abbreviation: &'static str,
    id: &'static str,
    cow_name: &'static str,
) -> CowState {
    CowState {
        ccode,
        abbreviation,
        id,
        cow_name,
    }
}

/// Every state of the COW State System Membership List v2016, by code.
pub const COW: &[CowState] = &[
    w(2, "USA", "USA", "United States of America"),
    w(20, "CAN", "CAN", "Canada"),
    w(31, "BHM", "BHS", "Bahamas"),
    w(40, "CUB", "CUB", "Cuba"),
    w(41, "HAI", "HTI", "Haiti"),
    w(42, "DOM", "DOM", "Dominican Republic"),
    w(51, "JAM", "JAM", "Jamaica"),
    w(52, "TRI", "TTO", "Trinidad and Tobago"),
    w(53, "BAR", "BRB", "Barbados"),
    w(54, "DMA", "DMA", "Dominica"),
    w(55, "GRN", "GRD", "Grenada"),
    w(56, "SLU", "LCA", "St. Lucia"),
    w(57, "SVG", "VCT", "St. Vincent and the Grenadines"),
    w(58, "AAB", "ATG", "Antigua & Barbuda"),
    w(60, "SKN", "KNA", "St. Kitts and Nevis"),
    w(70, "MEX", "MEX", "Mexico"),
    w(80, "BLZ", "BLZ", "Belize"),
    w(90, "GUA", "GTM", "Guatemala"),
    w(91, "HON", "HND", "Honduras"),
    w(92, "SAL", "SLV", "El Salvador"),
    w(93, "NIC", "NIC", "Nicaragua"),
    w(94, "COS", "CRI", "Costa Rica"),
    w(95, "PAN", "PAN", "Panama"),
    w(100, "COL", "COL", "Colombia"),
    w(101, "VEN", "VEN", "Venezuela"),
    w(110, "GUY", "GUY", "Guyana"),
    w(115, "SUR", "SUR", "Suriname"),
    w(130, "ECU", "ECU", "Ecuador"),
    w(135, "PER", "PER", "Peru"),
    w(140, "BRA", "BRA", "Brazil"),
    w(145, "BOL", "BOL", "Bolivia"),
    w(150, "PAR", "PRY", "Paraguay"),
    w(155, "CHL", "CHL", "Chile"),
    w(160, "ARG", "ARG", "Argentina"),
    w(165, "URU", "URY", "Uruguay"),
    w(200, "UKG", "GBR", "United Kingdom"),
    w(205, "IRE", "IRL", "Ireland"),
    w(210, "NTH", "NLD", "Netherlands"),
    w(211, "BEL", "BEL", "Belgium"),
    w(212, "LUX", "LUX", "Luxembourg"),
    w(220, "FRN", "FRA", "France"),
    w(221, "MNC", "MCO", "Monaco"),
    w(223, "LIE", "LIE", "Liechtenstein"),
    w(225, "SWZ", "CHE", "Switzerland"),
    w(230, "SPN", "ESP", "Spain"),
    w(232, "AND", "AND", "Andorra"),
    w(235, "POR", "PRT", "Portugal"),
    w(240, "HAN", "HAN", "Hanover"),
    w(245, "BAV", "BAV", "Bavaria"),
    w(255, "GMY", "DEU", "Germany"),
    w(260, "GFR", "GFR", "German Federal Republic"),
    w(265, "GDR", "DDR", "German Democratic Republic"),
    w(267, "BAD", "BAD", "Baden"),
    w(269, "SAX", "SAX", "Saxony"),
    w(271, "WRT", "WRT", "Wuerttemburg"),
    w(273, "HSE", "HSE", "Hesse Electoral"),
    w(275, "HSG", "HSG", "Hesse Grand Ducal"),
    w(280, "MEC", "MEC", "Mecklenburg Schwerin"),
    w(290, "POL", "POL", "Poland"),
    w(300, "AUH", "AUH", "Austria-Hungary"),
    w(305, "AUS", "AUT", "Austria"),
    w(310, "HUN", "HUN", "Hungary"),
    w(315, "CZE", "CSK", "Czechoslovakia"),
    w(316, "CZR", "CZE", "Czech Republic"),
    w(317, "SLO", "SVK", "Slovakia"),
    w(325, "ITA", "ITA", "Italy"),
    w(327, "PAP", "PAP", "Papal States"),
    w(329, "SIC", "SIC", "Two Sicilies"),
    w(331, "SNM", "SMR", "San Marino"),
    w(332, "MOD", "MOD", "Modena"),
    w(335, "PMA", "PMA", "Parma"),
    w(337, "TUS", "TUS", "Tuscany"),
    w(338, "MLT", "MLT", "Malta"),
    w(339, "ALB", "ALB", "Albania"),
    w(341, "MNG", "MNE", "Montenegro"),
    w(343, "MAC", "MKD", "Macedonia"),
    w(344, "CRO", "HRV", "Croatia"),
    w(345, "YUG", "SRB", "Yugoslavia"),
    w(346, "BOS", "BIH", "Bosnia and Herzegovina"),
    w(347, "KOS", "XKX", "Kosovo"),
    w(349, "SLV", "SVN", "Slovenia"),
    w(350, "GRC", "GRC", "Greece"),
    w(352, "CYP", "CYP", "Cyprus"),
    w(355, "BUL", "BGR", "Bulgaria"),
    w(359, "MLD", "MDA", "Moldova"),
    w(360, "ROM", "ROU", "Romania"),
    w(365, "RUS", "RUS", "Russia"),
    w(366, "EST", "EST", "Estonia"),
    w(367, "LAT", "LVA", "Latvia"),
    w(368, "LIT", "LTU", "Lithuania"),
    w(369, "UKR", "UKR", "Ukraine"),
    w(370, "BLR", "BLR", "Belarus"),
    w(371, "ARM", "ARM", "Armenia"),
    w(372, "GRG", "GEO", "Georgia"),
    w(373, "AZE", "AZE", "Azerbaijan"),
    w(375, "FIN", "FIN", "Finland"),
    w(380, "SWD", "SWE", "Sweden"),
    w(385, "NOR", "NOR", "Norway"),
    w(390, "DEN", "DNK", "Denmark"),
    w(395, "ICE", "ISL", "Iceland"),
    w(402, "CAP", "CPV", "Cape Verde"),
    w(403, "STP", "STP", "Sao Tome and Principe"),
    w(404, "GNB", "GNB", "Guinea-Bissau"),
    w(411, "EQG", "GNQ", "Equatorial Guinea"),
    w(420, "GAM", "GMB", "Gambia"),
    w(432, "MLI", "MLI", "Mali"),
    w(433, "SEN", "SEN", "Senegal"),
    w(434, "BEN", "BEN", "Benin"),
    w(435, "MAA", "MRT", "Mauritania"),
    w(436, "NIR", "NER", "Niger"),
    w(437, "CDI", "CIV", "Ivory Coast"),
    w(438, "GUI", "GIN", "Guinea"),
    w(439, "BFO", "BFA", "Burkina Faso"),
    w(450, "LBR", "LBR", "Liberia"),
    w(451, "SIE", "SLE", "Sierra Leone"),
    w(452, "GHA", "GHA", "Ghana"),
    w(461, "TOG", "TGO", "Togo"),
    w(471, "CAO", "CMR", "Cameroon"),
    w(475, "NIG", "NGA", "Nigeria"),
    w(481, "GAB", "GAB", "Gabon"),
    w(482, "CEN", "CAF", "Central African Republic"),
    w(483, "CHA", "TCD", "Chad"),
    w(484, "CON", "COG", "Congo"),
    w(490, "DRC", "COD", "Democratic Republic of the Congo"),
    w(500, "UGA", "UGA", "Uganda"),
    w(501, "KEN", "KEN", "Kenya"),
    w(510, "TAZ", "TZA", "Tanzania"),
    w(511, "ZAN", "ZAN", "Zanzibar"),
    w(516, "BUI", "BDI", "Burundi"),
    w(517, "RWA", "RWA", "Rwanda"),
    w(520, "SOM", "SOM", "Somalia"),
    w(522, "DJI", "DJI", "Djibouti"),
    w(530, "ETH", "ETH", "Ethiopia"),
    w(531, "ERI", "ERI", "Eritrea"),
    w(540, "ANG", "AGO", "Angola"),
    w(541, "MZM", "MOZ", "Mozambique"),
    w(551, "ZAM", "ZMB", "Zambia"),
    w(552, "ZIM", "ZWE", "Zimbabwe"),
    w(553, "MAW", "MWI", "Malawi"),
    w(560, "SAF", "ZAF", "South Africa"),
    w(565, "NAM", "NAM", "Namibia"),
    w(570, "LES", "LSO", "Lesotho"),
    w(571, "BOT", "BWA", "Botswana"),
    w(572, "SWA", "SWZ", "Swaziland"),
    w(580, "MAG", "MDG", "Madagascar"),
    w(581, "COM", "COM", "Comoros"),
    w(590, "MAS", "MUS", "Mauritius"),
    w(591, "SEY", "SYC", "Seychelles"),
    w(600, "MOR", "MAR", "Morocco"),
    w(615, "ALG", "DZA", "Algeria"),
    w(616, "TUN", "TUN", "Tunisia"),
    w(620, "LIB", "LBY", "Libya"),
    w(625, "SUD", "SDN", "Sudan"),
    w(626, "SSD", "SSD", "South Sudan"),
    w(630, "IRN", "IRN", "Iran"),
    w(640, "TUR", "TUR", "Turkey"),
    w(645, "IRQ", "IRQ", "Iraq"),
    w(651, "EGY", "EGY", "Egypt"),
    w(652, "SYR", "SYR", "Syria"),
    w(660, "LEB", "LBN", "Lebanon"),
    w(663, "JOR", "JOR", "Jordan"),
    w(666, "ISR", "ISR", "Israel"),
    w(670, "SAU", "SAU", "Saudi Arabia"),
    w(678, "YAR", "YAR", "Yemen Arab Republic"),
    w(679, "YEM", "YEM", "Yemen"),
    w(680, "YPR", "YMD", "Yemen People's Republic"),
    w(690, "KUW", "KWT", "Kuwait"),
    w(692, "BAH", "BHR", "Bahrain"),
    w(694, "QAT", "QAT", "Qatar"),
    w(696, "UAE", "ARE", "United Arab Emirates"),
    w(698, "OMA", "OMN", "Oman"),
    w(700, "AFG", "AFG", "Afghanistan"),
    w(701, "TKM", "TKM", "Turkmenistan"),
    w(702, "TAJ", "TJK", "Tajikistan"),
    w(703, "KYR", "KGZ", "Kyrgyzstan"),
    w(704, "UZB", "UZB", "Uzbekistan"),
    w(705, "KZK", "KAZ", "Kazakhstan"),
    w(710, "CHN", "CHN", "China"),
    w(712, "MON", "MNG", "Mongolia"),
    w(713, "TAW", "TWN", "Taiwan"),
    w(730, "KOR", "XKO", "Korea"),
    w(731, "PRK", "PRK", "North Korea"),
    w(732, "ROK", "KOR", "South Korea"),
    w(740, "JPN", "JPN", "Japan"),
    w(750, "IND", "IND", "India"),
    w(760, "BHU", "BTN", "Bhutan"),
    w(770, "PAK", "PAK", "Pakistan"),
    w(771, "BNG", "BGD", "Bangladesh"),
    w(775, "MYA", "MMR", "Myanmar"),
    w(780, "SRI", "LKA", "Sri Lanka"),
    w(781, "MAD", "MDV", "Maldives"),
    w(790, "NEP", "NPL", "Nepal"),
    w(800, "THI", "THA", "Thailand"),
    w(811, "CAM", "KHM", "Cambodia"),
    w(812, "LAO", "LAO", "Laos"),
    w(816, "DRV", "VNM", "Vietnam"),
    w(817, "RVN", "RVN", "Republic of Vietnam"),
    w(820, "MAL", "MYS", "Malaysia"),
    w(830, "SIN", "SGP", "Singapore"),
    w(835, "BRU", "BRN", "Brunei"),
    w(840, "PHI", "PHL", "Philippines"),
    w(850, "INS", "IDN", "Indonesia"),
    w(860, "ETM", "TLS", "East Timor"),
    w(900, "AUL", "AUS", "Australia"),
    w(910, "PNG", "PNG", "Papua New Guinea"),
    w(920, "NEW", "NZL", "New Zealand"),
    w(935, "VAN", "VUT", "Vanuatu"),
    w(940, "SOL", "SLB", "Solomon Islands"),
    w(946, "KIR", "KIR", "Kiribati"),
    w(947, "TUV", "TUV", "Tuvalu"),
    w(950, "FIJ", "FJI", "Fiji"),
    w(955, "TON", "TON", "Tonga"),
    w(970, "NAU", "NRU", "Nauru"),
    w(983, "MSI", "MHL", "Marshall Islands"),
    w(986, "PAL", "PLW", "Palau"),
    w(987, "FSM", "FSM", "Federated States of Micronesia"),
    w(990, "WSM", "WSM", "Samoa"),
];

/// States that ISO lists and COW does not, which still count as states for the importers
/// (observer states at the UN).
const EXTRA_STATES: &[&str] = &["PSE", "VAT"];

/// Former codes still found in event data, and the code that replaced them.
const SUCCESSORS: &[(&str, &str)] = &[
    ("BUR", "MMR"),
    ("ROM", "ROU"),
    ("TMP", "TLS"),
    ("ZAR", "COD"),
];

/// The tables' rows by upper-case alpha-3 code and COW id, made on first use: importers look
/// codes up for every row they read.
struct Indexes {
    iso: HashMap<&'static str, &'static Country>,
    cow: HashMap<&'static str, &'static CowState>,
}

static INDEXES: LazyLock<Indexes> = LazyLock::new(|| Indexes {
    iso: ISO.iter().map(|c| (c.alpha3, c)).collect(),
    cow: COW.iter().map(|s| (s.id, s)).collect(),
});

/// `code` in upper case, when it has the shape of an alpha-3 code (three ASCII letters), held
/// on the stack.
fn alpha3(code: &str) -> Option<[u8; 3]> {
    let b: [u8; 3] = code.as_bytes().try_into().ok()?;
    b.iter()
        .all(u8::is_ascii_alphabetic)
        .then(|| b.map(|x| x.to_ascii_uppercase()))
}

fn lookup<T: Copy>(map: &HashMap<&'static str, T>, code: &str) -> Option<T> {
    let up = alpha3(code)?;
    map.get(std::str::from_utf8(&up).ok()?).copied()
}

/// The ISO 3166-1 country with this alpha-3 code, ignoring case.
pub fn country(alpha3: &str) -> Option<&'static Country> {
    lookup(&INDEXES.iso, alpha3)
}

/// The ISO 3166-1 country with this alpha-2 code, ignoring case.
pub fn country_by_alpha2(alpha2: &str) -> Option<&'static Country> {
    ISO.iter().find(|c| c.alpha2.eq_ignore_ascii_case(alpha2))
}

/// Whether `code` is or was an ISO 3166-1 alpha-3 code (upper case).
pub fn is_iso_code(code: &str) -> bool {
    country(code).is_some() || FORMER.contains(&code)
}

/// The COW state with this code.
pub fn cow(ccode: u32) -> Option<&'static CowState> {
    COW.iter().find(|s| s.ccode == ccode)
}

/// The COW code of the state with dipgraph id `id` (`DEU` is 255, not West Germany's 260).
pub fn cow_of(id: &str) -> Option<u32> {
    lookup(&INDEXES.cow, id).map(|s| s.ccode)
}

/// The dipgraph id of COW state `ccode` with abbreviation `abbreviation`: the table's, or for a
/// code it does not know, rules 4 and 5 of the module documentation.
pub fn state_id(ccode: u32, abbreviation: &str) -> String {
    if let Some(s) = cow(ccode) {
        return s.id.to_string();
    }
    rule_id(abbreviation, &|code| {
        is_iso_code(code) || COW.iter().any(|s| s.id == code)
    })
}

/// Rules 4 and 5: the abbreviation unless `taken`, else `X` and its first two letters.
fn rule_id(abbreviation: &str, taken: &dyn Fn(&str) -> bool) -> String {
    let abb = abbreviation.trim().to_ascii_uppercase();
    let shaped = abb.len() == 3 && abb.bytes().all(|b| b.is_ascii_uppercase());
    if shaped && !taken(&abb) {
        return abb;
    }
    let letters: String = abb
        .bytes()
        .filter(u8::is_ascii_uppercase)
        .map(char::from)
        .chain(std::iter::repeat('X'))
        .take(2)
        .collect();
    format!("X{letters}")
}

/// Whether `id` names a state (rather than a territory or region): one of the COW state
/// system, or an observer state. Former codes are read as their successors first.
pub fn is_state(id: &str) -> bool {
    lookup(&INDEXES.cow, id).is_some() || EXTRA_STATES.iter().any(|s| s.eq_ignore_ascii_case(id))
}

/// The state a country code names, as its dipgraph id: a former code read as its successor
/// first; `None` for a territory, a region or anything else (without making a string).
pub fn state_code(code: &str) -> Option<&'static str> {
    let up = alpha3(code)?;
    let up = std::str::from_utf8(&up).ok()?;
    let current = SUCCESSORS
        .iter()
        .find(|(old, _)| *old == up)
        .map_or(up, |(_, new)| *new);
    if let Some(s) = INDEXES.cow.get(current) {
        return Some(s.id);
    }
    EXTRA_STATES.iter().copied().find(|s| *s == current)
}

/// A former code's successor (`ROM` is `ROU`), else the code itself, in upper case.
pub fn current_code(code: &str) -> String {
    let up = code.to_ascii_uppercase();
    SUCCESSORS
        .iter()
        .find(|(old, _)| *old == up)
        .map_or(up, |(_, new)| (*new).to_string())
}

/// The common English name of state `id`: ISO's, else COW's.
pub fn state_name(id: &str) -> Option<&'static str> {
    country(id)
        .map(|c| c.name)
        .or_else(|| lookup(&INDEXES.cow, id).map(|s| s.cow_name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_and_shaped() {
        let mut seen = HashSet::new();
        for s in COW {
            assert!(seen.insert(s.id), "id {} used twice", s.id);
            assert!(
                s.id.len() == 3 && s.id.bytes().all(|b| b.is_ascii_uppercase()),
                "{}",
                s.id
            );
        }
        let mut codes = HashSet::new();
        for c in ISO {
            assert!(codes.insert(c.alpha3), "{}", c.alpha3);
            assert_eq!(c.alpha2.len(), 2);
        }
        assert_eq!(ISO.len(), 249);
    }

    #[test]
    fn historical_ids_follow_the_rule() {
        for s in COW.iter().filter(|s| country(s.id).is_none()) {
            let expected = match s.id {
                "DDR" | "CSK" | "YMD" => continue, // rule 2: ISO 3166-3
                "XKX" => continue,                 // rule 3: in wide use
                _ => rule_id(s.abbreviation, &is_iso_code),
            };
            assert!(!is_iso_code(s.id) || s.id == expected, "{}", s.id);
            assert_eq!(s.id, expected, "COW {} {}", s.ccode, s.cow_name);
        }
    }

    #[test]
    fn known_mappings() {
        let id = |c| cow(c).expect("known").id;
        assert_eq!(id(370), "BLR");
        assert_eq!(id(365), "RUS");
        assert_eq!(id(200), "GBR");
        assert_eq!(id(255), "DEU");
        assert_eq!(id(260), "GFR");
        assert_eq!(id(265), "DDR");
        assert_eq!(id(316), "CZE");
        assert_eq!(id(315), "CSK");
        assert_eq!(id(245), "BAV");
        assert_eq!(id(730), "XKO");
        assert_eq!(id(732), "KOR");
        assert_eq!(cow_of("DEU"), Some(255));
        assert_eq!(state_id(999, "KOR"), "XKO");
        assert_eq!(state_id(999, "MNG"), "XMN");
        assert_eq!(state_id(999, "GFR"), "XGF");
        assert_eq!(state_id(999, "ZZQ"), "ZZQ");
        assert_eq!(current_code("rom"), "ROU");
        assert!(is_state("blr") && is_state("VAT") && !is_state("HKG"));
        assert_eq!(state_name("GFR"), Some("German Federal Republic"));
        assert_eq!(country_by_alpha2("by").map(|c| c.alpha3), Some("BLR"));
    }
}
