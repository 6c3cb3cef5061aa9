//! Dates of three precisions (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`), parsed strictly.

use std::fmt;

use chrono::{Datelike, NaiveDate};

/// How much of a [`Date`] is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precision {
    /// Only the year: `"2020"`.
    Year,
    /// Year and month: `"2020-10"`.
    Month,
    /// The day: `"2020-10-02"`.
    Day,
}

/// A calendar date whose precision is part of the value: `"2020-10"` means some day in
/// October 2020. Ordered by its first possible day, then by precision (coarser first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// A day as a count of days since 0001-01-01 (day 0), so that interval tests are plain integer
/// comparisons.
pub type DayNumber = i32;

/// Why a text is not a [`Date`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// The shape is not `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    Shape,
    /// The month is not 01 to 12.
    Month(u32),
    /// The day does not exist in that month.
    Day {
        /// The year.
        year: u16,
        /// The month.
        month: u8,
        /// The day that was written.
        day: u32,
        /// How many days the month has.
        days_in_month: u32,
    },
    /// Year 0000 does not exist in the calendar dipgraph uses.
    YearZero,
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Shape => f.write_str(
                "a date is written YYYY, YYYY-MM or YYYY-MM-DD, with a four-digit year and \
                 two-digit month and day",
            ),
            DateError::Month(m) => write!(f, "month {m:02} does not exist (months are 01 to 12)"),
            DateError::Day {
                year,
                month,
                day,
                days_in_month,
            } => write!(
                f,
                "day {day:02} does not exist: {}-{month:02} has {days_in_month} days",
                year
            ),
            DateError::YearZero => f.write_str("year 0000 does not exist; years start at 0001"),
        }
    }
}

impl std::error::Error for DateError {}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn days_in_month(year: u16, month: u8) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Whether `year` is a leap year of the proleptic Gregorian calendar.
fn is_leap(year: u16) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

/// Days in the year before the first of each month (not a leap year).
const DAYS_BEFORE_MONTH: [u16; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

/// The day number of a day of the proleptic Gregorian calendar (`month` 1 to 12, `day` within
/// it): days in the years before, the months before, and the days before. Plain arithmetic, as
/// every interval test asks for it.
fn day_of(year: u16, month: u8, day: u8) -> DayNumber {
    let y = i32::from(year) - 1;
    let before_year = 365 * y + y / 4 - y / 100 + y / 400;
    let m = usize::from(month.clamp(1, 12)) - 1;
    let leap_day = i32::from(month > 2 && is_leap(year));
    before_year + i32::from(DAYS_BEFORE_MONTH[m]) + leap_day + i32::from(day) - 1
}

impl Date {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` strictly: exactly four, two and two digits,
    /// a real month and a day that exists in it.
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let parts: Vec<&str> = text.split('-').collect();
        let widths: Vec<usize> = parts.iter().map(|p| p.len()).collect();
        if !matches!(widths.as_slice(), [4] | [4, 2] | [4, 2, 2]) {
            return Err(DateError::Shape);
        }
        let mut nums = [0u32; 3];
        for (slot, part) in nums.iter_mut().zip(&parts) {
            *slot = digits(part).ok_or(DateError::Shape)?;
        }
        let year = u16::try_from(nums[0]).map_err(|_| DateError::Shape)?;
        if year == 0 {
            return Err(DateError::YearZero);
        }
        if parts.len() == 1 {
            return Ok(Date::year(year));
        }
        let month = nums[1];
        if !(1..=12).contains(&month) {
            return Err(DateError::Month(month));
        }
        let month = month as u8;
        if parts.len() == 2 {
            return Ok(Date {
                year,
                month,
                day: 0,
            });
        }
        let day = nums[2];
        let dim = days_in_month(year, month);
        if day == 0 || day > dim {
            return Err(DateError::Day {
                year,
                month,
                day,
                days_in_month: dim,
            });
        }
        Ok(Date {
            year,
            month,
            day: day as u8,
        })
    }

    /// The year, month and day as numbers, 0 for a month or day not given.
    pub fn parts(self) -> (u16, u8, u8) {
        (self.year, self.month, self.day)
    }

    /// The date of [`Date::parts`], when they make one: a year of 1 to 9999, a month of 1 to
    /// 12 or 0, and a day that exists in that month, or 0.
    pub fn from_parts(year: u16, month: u8, day: u8) -> Option<Date> {
        let fits = (1..=9999).contains(&year)
            && month <= 12
            && (day == 0 || (month != 0 && u32::from(day) <= days_in_month(year, month)));
        fits.then_some(Date { year, month, day })
    }

    /// A year-precise date. Panics never: a year of 0 is kept as 1.
    pub fn year(year: u16) -> Date {
        Date {
            year: year.max(1),
            month: 0,
            day: 0,
        }
    }

    /// A day-precise date from a chrono date (years outside 1..=9999 are clamped).
    pub fn from_naive(d: NaiveDate) -> Date {
        let year = d.year().clamp(1, 9999) as u16;
        Date {
            year,
            month: d.month() as u8,
            day: d.day() as u8,
        }
    }

    /// How much of the date is known.
    pub fn precision(self) -> Precision {
        match (self.month, self.day) {
            (0, _) => Precision::Year,
            (_, 0) => Precision::Month,
            _ => Precision::Day,
        }
    }

    /// The calendar year.
    pub fn year_number(self) -> u16 {
        self.year
    }

    /// The first day this date can mean.
    pub fn first_day(self) -> NaiveDate {
        naive_of(self.first()).unwrap_or(NaiveDate::MIN)
    }

    /// The last day this date can mean.
    pub fn last_day(self) -> NaiveDate {
        naive_of(self.last()).unwrap_or(NaiveDate::MAX)
    }

    /// [`Date::first_day`] as a day number.
    pub fn first(self) -> DayNumber {
        day_of(self.year, self.month.max(1), self.day.max(1))
    }

    /// [`Date::last_day`] as a day number.
    pub fn last(self) -> DayNumber {
        match self.precision() {
            Precision::Year => day_of(self.year, 12, 31),
            Precision::Month => day_of(
                self.year,
                self.month,
                days_in_month(self.year, self.month) as u8,
            ),
            Precision::Day => day_of(self.year, self.month, self.day),
        }
    }

    /// The day after [`Date::last_day`]: where this date's period is over.
    pub fn end_exclusive(self) -> DayNumber {
        self.last() + 1
    }
}

/// The chrono date of a day number.
fn naive_of(n: DayNumber) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(n + 1)
}

/// The day number of a chrono date.
pub fn day_number(d: NaiveDate) -> DayNumber {
    d.num_days_from_ce() - 1
}

impl PartialOrd for Date {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Date {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.year, self.month, self.day).cmp(&(other.year, other.month, other.day))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, digit by digit: every row of a long answer
        // writes its dates.
        let digit = |n: u16| b'0' + (n % 10) as u8;
        let y = self.year;
        let (m, d) = (u16::from(self.month), u16::from(self.day));
        let text = [
            digit(y / 1000),
            digit(y / 100),
            digit(y / 10),
            digit(y),
            b'-',
            digit(m / 10),
            digit(m),
            b'-',
            digit(d / 10),
            digit(d),
        ];
        let len = match self.precision() {
            Precision::Year => 4,
            Precision::Month => 7,
            Precision::Day => 10,
        };
        // ASCII digits and dashes only.
        f.write_str(std::str::from_utf8(&text[..len]).map_err(|_| fmt::Error)?)
    }
}

impl std::str::FromStr for Date {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Date::parse(s)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).expect(s)
    }

    #[test]
    fn day_numbers_and_month_lengths_are_chronos() {
        // Every month's first and last day of every year, and every day of the years around
        // the century rules.
        for year in 1..=9999u16 {
            for month in 1..=12u8 {
                let first =
                    NaiveDate::from_ymd_opt(i32::from(year), u32::from(month), 1).expect("a month");
                let next = first
                    .checked_add_months(chrono::Months::new(1))
                    .unwrap_or(NaiveDate::from_ymd_opt(10000, 1, 1).expect("a day"));
                let length = (next - first).num_days() as u32;
                assert_eq!(days_in_month(year, month), length, "{year}-{month}");
                let m = Date {
                    year,
                    month,
                    day: 0,
                };
                assert_eq!(m.first(), day_number(first), "{year}-{month}");
                assert_eq!(m.last(), day_number(next) - 1, "{year}-{month}");
            }
        }
        for year in [1, 4, 100, 1600, 1700, 1900, 2000, 2020, 2100, 9999] {
            let mut day = NaiveDate::from_ymd_opt(year, 1, 1).expect("a day");
            while day.year() == year {
                let ours = Date::from_naive(day);
                assert_eq!(
                    (ours.first(), ours.last()),
                    (day_number(day), day_number(day))
                );
                day = day.succ_opt().expect("a next day");
            }
            let y = Date::year(year as u16);
            let jan1 = NaiveDate::from_ymd_opt(year, 1, 1).expect("a day");
            let dec31 = NaiveDate::from_ymd_opt(year, 12, 31).expect("a day");
            assert_eq!((y.first_day(), y.last_day()), (jan1, dec31));
            assert_eq!((y.first(), y.last()), (day_number(jan1), day_number(dec31)));
        }
    }

    #[test]
    fn parses_each_precision() {
        assert_eq!(d("2020").precision(), Precision::Year);
        assert_eq!(d("2020-10").precision(), Precision::Month);
        assert_eq!(d("2020-10-02").precision(), Precision::Day);
        assert_eq!(d("2020-10-02").to_string(), "2020-10-02");
        assert_eq!(d("0999").to_string(), "0999");
        for (y, m, day) in [
            (1, 0, 0),
            (42, 7, 0),
            (999, 12, 31),
            (2020, 2, 29),
            (9999, 1, 9),
        ] {
            let date = Date::from_parts(y, m, day).expect("a date");
            let written = match date.precision() {
                Precision::Year => format!("{y:04}"),
                Precision::Month => format!("{y:04}-{m:02}"),
                Precision::Day => format!("{y:04}-{m:02}-{day:02}"),
            };
            assert_eq!(date.to_string(), written);
            assert_eq!(Date::parse(&written), Ok(date));
        }
    }

    #[test]
    fn rejects_loose_shapes() {
        for bad in [
            "2020-1-5",
            "20200105",
            "2020-01-5",
            "202",
            "02020",
            "2020-",
            "-2020",
            "2020-01-",
            "2020/01/05",
            " 2020",
            "2020-01-05 ",
            "+2020",
            "2020-1",
            "",
            "２０２０",
            "2020-01-05-01",
            "abcd",
        ] {
            assert_eq!(Date::parse(bad), Err(DateError::Shape), "{bad:?}");
        }
    }

    #[test]
    fn rejects_impossible_days_and_months() {
        assert!(matches!(
            Date::parse("2020-02-30"),
            Err(DateError::Day {
                days_in_month: 29,
                ..
            })
        ));
        assert!(matches!(
            Date::parse("2021-02-29"),
            Err(DateError::Day {
                days_in_month: 28,
                ..
            })
        ));
        assert!(Date::parse("2000-02-29").is_ok());
        assert!(matches!(
            Date::parse("1900-02-29"),
            Err(DateError::Day { .. })
        ));
        assert_eq!(Date::parse("2020-13"), Err(DateError::Month(13)));
        assert_eq!(Date::parse("2020-00-10"), Err(DateError::Month(0)));
        assert!(matches!(
            Date::parse("2020-04-31"),
            Err(DateError::Day { .. })
        ));
        assert!(matches!(
            Date::parse("2020-04-00"),
            Err(DateError::Day { .. })
        ));
        assert_eq!(Date::parse("0000"), Err(DateError::YearZero));
    }

    #[test]
    fn first_and_last_days_by_precision() {
        assert_eq!(d("2020").first_day().to_string(), "2020-01-01");
        assert_eq!(d("2020").last_day().to_string(), "2020-12-31");
        assert_eq!(d("2020-02").last_day().to_string(), "2020-02-29");
        assert_eq!(d("2021-02").last_day().to_string(), "2021-02-28");
        assert_eq!(d("2020-12").last_day().to_string(), "2020-12-31");
        assert_eq!(d("2020-12-31").first(), d("2020-12-31").last());
        assert_eq!(d("2020-12-31").end_exclusive(), d("2021-01-01").first());
        assert_eq!(d("0001-01-01").first(), 0);
    }

    #[test]
    fn order_is_chronological_then_coarse_first() {
        let mut v = [d("2020-10-02"), d("2020"), d("2019-12-31"), d("2020-10")];
        v.sort();
        let shown: Vec<String> = v.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["2019-12-31", "2020", "2020-10", "2020-10-02"]);
    }

    #[test]
    fn errors_explain_the_expected_form() {
        let msg = Date::parse("2020-1-5").unwrap_err().to_string();
        assert!(msg.contains("YYYY-MM-DD"), "{msg}");
        let msg = Date::parse("2020-02-30").unwrap_err().to_string();
        assert!(msg.contains("29 days"), "{msg}");
    }
}
