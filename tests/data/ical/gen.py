#!/usr/bin/env python3
"""gen.py - writes tests/data/ical/<case>.ics and <case>.expected.

Each case pairs a hand-written .ics text with an INDEPENDENT oracle: the expected
CLI lines are computed here with python's datetime/zoneinfo and dateutil.rrule
(never from cohortbot's output). .expected format: first line "#ARGS <cli args>",
optional "#EXIT <code>" and "#STDERR <substring>", then the exact stdout lines.
Run: python3 gen.py  (in this directory)."""
from datetime import datetime, date, timedelta, timezone
from zoneinfo import ZoneInfo
from dateutil.rrule import rrulestr
import os

UTC = timezone.utc
CASES = {}


def case(name, args, ics, lines=None, exit=0, stderr=None):
    CASES[name] = (args, ics.strip("\n").replace("\n", "\r\n") + "\r\n", lines or [], exit, stderr)


def z(dt, zone):
    """naive wall time in zone -> aware UTC (fold=0: first instant of an overlap,
    offset before the change inside a gap, as RFC 5545 3.3.5 requires)."""
    return dt.replace(tzinfo=ZoneInfo(zone) if zone != "UTC" else UTC).astimezone(UTC)


def ts(u):
    return u.strftime("%Y-%m-%dT%H:%M:%SZ")


def occ(u, uid, summary):
    return (u, uid, f"{ts(u)}\t{uid}\t{summary}")


def day(d, uid, summary):
    return (datetime(d.year, d.month, d.day, tzinfo=UTC), uid, f"{d.isoformat()}\t{uid}\t{summary}")


def rem(fire, start_text, uid, summary):
    return (fire, start_text, uid, f"{ts(fire)}\t{uid}\t{start_text}\t{summary}")


def lines_of(occs):
    return [o[2] for o in sorted(occs, key=lambda o: (o[0], o[1]))]


def rem_lines(rems):
    return [r[3] for r in sorted(rems, key=lambda r: (r[0], r[1], r[2]))]


def window(occs, a, b):
    a = datetime.fromisoformat(a).replace(tzinfo=UTC)
    b = datetime.fromisoformat(b).replace(tzinfo=UTC)
    return [o for o in occs if a <= o[0] < b]


def expand(rule, start, zone, **kw):
    """RRULE instances as aware UTC datetimes, wall-clock stepping in `zone`."""
    tz = ZoneInfo(zone) if zone != "UTC" else UTC
    return [d.astimezone(UTC) for d in rrulestr(rule, dtstart=start.replace(tzinfo=tz), **kw)]


def cal(body, extra=""):
    return f"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//cohortbot tests//EN
{extra}{body.strip()}
END:VCALENDAR"""


VTZ_NY_OUTLOOK = """BEGIN:VTIMEZONE
TZID:Eastern Standard Time
BEGIN:STANDARD
DTSTART:16010101T020000
TZOFFSETFROM:-0400
TZOFFSETTO:-0500
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=11
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T020000
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=2SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE
"""

VTZ_BERLIN = """BEGIN:VTIMEZONE
TZID:Europe/Berlin
X-LIC-LOCATION:Europe/Berlin
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""

VTZ_LONDON_OUTLOOK = """BEGIN:VTIMEZONE
TZID:GMT Standard Time
BEGIN:STANDARD
DTSTART:16010101T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0000
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T010000
TZOFFSETFROM:+0000
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE
"""

# ---------------------------------------------------------------- basic values
case("utc_basic", "--from 2024-03-01 --to 2024-04-01", cal("""
BEGIN:VEVENT
UID:utc-1@example.com
DTSTAMP:20240101T000000Z
DTSTART:20240305T140000Z
DTEND:20240305T150000Z
SUMMARY:Kickoff call
LOCATION:Zoom
END:VEVENT
BEGIN:VEVENT
UID:utc-2@example.com
DTSTAMP:20240101T000000Z
DTSTART:20240305T140000Z
SUMMARY:Same time\\, other UID
END:VEVENT
BEGIN:VEVENT
UID:utc-3@example.com
DTSTAMP:20240101T000000Z
DTSTART:20240401T000000Z
SUMMARY:Exactly at the window end
END:VEVENT
BEGIN:VEVENT
UID:utc-0@example.com
DTSTAMP:20240101T000000Z
DTSTART:20240301T000000Z
DTEND:20240301T000000Z
SUMMARY:Zero length at the window start
END:VEVENT
"""), lines_of([
    occ(datetime(2024, 3, 1, tzinfo=UTC), "utc-0@example.com", "Zero length at the window start"),
    occ(datetime(2024, 3, 5, 14, tzinfo=UTC), "utc-1@example.com", "Kickoff call"),
    occ(datetime(2024, 3, 5, 14, tzinfo=UTC), "utc-2@example.com", "Same time, other UID"),
]))

BERLIN_WEEKLY = """
BEGIN:VEVENT
UID:berlin-weekly@example.com
DTSTAMP:20240101T000000Z
DTSTART;TZID=Europe/Berlin:20240319T180000
DTEND;TZID=Europe/Berlin:20240319T193000
RRULE:FREQ=WEEKLY;COUNT=4
SUMMARY:Tuesday study group
END:VEVENT
"""
berlin = [occ(u, "berlin-weekly@example.com", "Tuesday study group")
          for u in expand("FREQ=WEEKLY;COUNT=4", datetime(2024, 3, 19, 18), "Europe/Berlin")]
case("tzid_iana_dst", "--from 2024-03-01 --to 2024-05-01", cal(BERLIN_WEEKLY), lines_of(berlin))
# VTIMEZONE after the VEVENT that uses it: file order is arbitrary
case("tzid_vtimezone_after_event", "--from 2024-03-01 --to 2024-05-01",
     cal(BERLIN_WEEKLY + VTZ_BERLIN), lines_of(berlin))

# libical 3.0.16: an unresolvable TZID becomes floating = UTC, and the UTC EXDATE
# then misses. We map the Windows name to Europe/Berlin.
case("windows_zone_no_vtimezone", "--from 2024-03-01 --to 2024-05-01", cal("""
BEGIN:VEVENT
UID:040000008200E00074C5B7101A82E008@outlook
DTSTAMP:20240101T000000Z
DTSTART;TZID=W. Europe Standard Time:20240319T180000
DTEND;TZID=W. Europe Standard Time:20240319T190000
RRULE:FREQ=WEEKLY;COUNT=4;BYDAY=TU
EXDATE:20240326T170000Z
SUMMARY:Outlook weekly
X-MICROSOFT-CDO-BUSYSTATUS:BUSY
END:VEVENT
"""), lines_of([occ(u, "040000008200E00074C5B7101A82E008@outlook", "Outlook weekly")
                for u in expand("FREQ=WEEKLY;COUNT=4;BYDAY=TU", datetime(2024, 3, 19, 18),
                                "Europe/Berlin") if u != datetime(2024, 3, 26, 17, tzinfo=UTC)]))

# Thunderbird-style TZID with a stray trailing colon (issue_107), UTC UNTIL equal
# to the last instance.
case("windows_zone_stray_colon", "--from 2023-05-01 --to 2023-07-01", cal("""
BEGIN:VEVENT
UID:tb-107@example.com
DTSTAMP:20230101T000000Z
DTSTART;TZID="Pacific Standard Time:":20230601T100000
DTEND;TZID="Pacific Standard Time:":20230601T110000
RRULE:FREQ=WEEKLY;UNTIL=20230608T170000Z;BYDAY=TH
SUMMARY:Thursday sync
END:VEVENT
"""), lines_of([occ(u, "tb-107@example.com", "Thursday sync")
                for u in expand("FREQ=WEEKLY;UNTIL=20230608T170000Z;BYDAY=TH",
                                datetime(2023, 6, 1, 10), "America/Los_Angeles")]))

case("outlook_vtimezone", "--from 2024-03-01 --to 2024-04-01", cal(VTZ_NY_OUTLOOK + """
BEGIN:VEVENT
UID:outlook-ny@example.com
DTSTAMP:20240101T000000Z
DTSTART;TZID=Eastern Standard Time:20240304T200000
DTEND;TZID=Eastern Standard Time:20240304T210000
RRULE:FREQ=WEEKLY;COUNT=6;BYDAY=MO,WE
SUMMARY:Mon/Wed session
END:VEVENT
"""), lines_of([occ(u, "outlook-ny@example.com", "Mon/Wed session")
                for u in expand("FREQ=WEEKLY;COUNT=6;BYDAY=MO,WE", datetime(2024, 3, 4, 20),
                                "America/New_York")]))

# Google export: X-WR-TIMEZONE governs floating times (--tz is only the fallback)
g = [occ(u, "float-1@google.com", "Floating weekly")
     for u in expand("FREQ=WEEKLY;COUNT=3", datetime(2024, 3, 27, 19), "Europe/Berlin")]
g.append(occ(z(datetime(2024, 4, 2, 21), "Europe/Berlin"), "float-2@google.com", "Late floating"))
g.append(occ(datetime(2024, 4, 1, 8, tzinfo=UTC), "utc-g@google.com", "UTC one-off"))
g.append(day(date(2024, 4, 1), "allday-g@google.com", "Easter Monday"))
case("google_x_wr_timezone", "--from 2024-03-01 --to 2024-05-01 --tz America/New_York", cal("""
BEGIN:VEVENT
DTSTART:20240327T190000
DTEND:20240327T200000
RRULE:FREQ=WEEKLY;COUNT=3
DTSTAMP:20240320T101010Z
UID:float-1@google.com
SUMMARY:Floating weekly
END:VEVENT
BEGIN:VEVENT
DTSTART:20240402T210000
DTEND:20240402T220000
DTSTAMP:20240320T101010Z
UID:float-2@google.com
SUMMARY:Late floating
END:VEVENT
BEGIN:VEVENT
DTSTART:20240401T080000Z
DTEND:20240401T090000Z
DTSTAMP:20240320T101010Z
UID:utc-g@google.com
SUMMARY:UTC one-off
END:VEVENT
BEGIN:VEVENT
DTSTART;VALUE=DATE:20240401
DTEND;VALUE=DATE:20240402
DTSTAMP:20240320T101010Z
UID:allday-g@google.com
SUMMARY:Easter Monday
END:VEVENT
""", "CALSCALE:GREGORIAN\nMETHOD:PUBLISH\nX-WR-CALNAME:Cohort\nX-WR-TIMEZONE:Europe/Berlin\n"),
     lines_of(g))

case("floating_default_tz", "--from 2024-01-01 --to 2024-02-01 --tz America/New_York", cal("""
BEGIN:VEVENT
UID:float-ny@example.com
DTSTAMP:20240101T000000Z
DTSTART:20240115T090000
SUMMARY:Floating 9am
END:VEVENT
"""), lines_of([occ(z(datetime(2024, 1, 15, 9), "America/New_York"), "float-ny@example.com",
                    "Floating 9am")]))

case("floating_utc_default", "--from 2024-01-01 --to 2024-02-01", cal("""
BEGIN:VEVENT
UID:float-utc@example.com
DTSTAMP:20240101T000000Z
DTSTART:20240115T090000
SUMMARY:Floating 9am
END:VEVENT
"""), lines_of([occ(datetime(2024, 1, 15, 9, tzinfo=UTC), "float-utc@example.com", "Floating 9am")]))

# ---------------------------------------------------------------- all-day
ad = [day(date(2024, 3, 7), "ad-1@example.com", "Holiday"),
      day(date(2024, 3, 10), "ad-3day@example.com", "Three-day retreat")]
ad += [day(date(2024, 3, 4) + timedelta(days=i), "ad-daily@example.com", "Daily all-day")
       for i in range(3)]
case("allday", "--from 2024-03-01 --to 2024-04-01 --tz Asia/Tokyo", cal("""
BEGIN:VEVENT
UID:ad-1@example.com
DTSTAMP:20240101T000000Z
DTSTART;VALUE=DATE:20240307
DTEND;VALUE=DATE:20240308
SUMMARY:Holiday
END:VEVENT
BEGIN:VEVENT
UID:ad-3day@example.com
DTSTAMP:20240101T000000Z
DTSTART;VALUE=DATE:20240310
DTEND;VALUE=DATE:20240313
SUMMARY:Three-day retreat
END:VEVENT
BEGIN:VEVENT
UID:ad-daily@example.com
DTSTAMP:20240101T000000Z
DTSTART;VALUE=DATE:20240304
RRULE:FREQ=DAILY;COUNT=3
SUMMARY:Daily all-day
END:VEVENT
"""), lines_of(ad))

# libical 3.0.16 makes a one-day DATE span two days; the end is local midnight of
# the next day. A RELATED=END alarm exposes the end.
ber = ZoneInfo("Europe/Berlin")
case("allday_span_reminders", "--from 2024-03-01 --to 2024-04-01 --tz Europe/Berlin --reminders --lead 720", cal("""
BEGIN:VEVENT
UID:ad-end@example.com
DTSTAMP:20240101T000000Z
DTSTART;VALUE=DATE:20240307
DTEND;VALUE=DATE:20240308
SUMMARY:Submission day
BEGIN:VALARM
ACTION:DISPLAY
DESCRIPTION:Deadline in one hour
TRIGGER;RELATED=END:-PT1H
END:VALARM
END:VEVENT
BEGIN:VEVENT
UID:ad-lead@example.com
DTSTAMP:20240101T000000Z
DTSTART;VALUE=DATE:20240315
SUMMARY:Demo day
END:VEVENT
"""), rem_lines([
    rem(datetime(2024, 3, 8, tzinfo=ber).astimezone(UTC) - timedelta(hours=1), "2024-03-07",
        "ad-end@example.com", "Submission day"),
    rem(datetime(2024, 3, 15, tzinfo=ber).astimezone(UTC) - timedelta(hours=12), "2024-03-15",
        "ad-lead@example.com", "Demo day"),
]))

# DURATION: exact hours; whole days are nominal (23 h across the spring change)
d1 = datetime(2024, 1, 15, 10, tzinfo=UTC)
d2 = z(datetime(2024, 3, 30, 12), "Europe/Berlin")
d2_end = z(datetime(2024, 3, 31, 12), "Europe/Berlin")
d3 = datetime(2024, 1, 20, 9, tzinfo=UTC)
case("duration_reminders", "--from 2024-01-01 --to 2024-04-01 --reminders --lead 10", cal("""
BEGIN:VEVENT
UID:dur-3h@example.com
DTSTAMP:20240101T000000Z
DTSTART:20240115T100000Z
DURATION:PT3H
SUMMARY:Three hours
BEGIN:VALARM
ACTION:DISPLAY
TRIGGER;RELATED=END:PT0S
END:VALARM
END:VEVENT
BEGIN:VEVENT
UID:dur-1d@example.com
DTSTAMP:20240101T000000Z
DTSTART;TZID=Europe/Berlin:20240330T120000
DURATION:P1D
SUMMARY:One nominal day
BEGIN:VALARM
ACTION:DISPLAY
TRIGGER;RELATED=END:PT0S
END:VALARM
END:VEVENT
BEGIN:VEVENT
UID:dur-none@example.com
DTSTAMP:20240101T000000Z
DTSTART:20240120T090000Z
SUMMARY:No end
END:VEVENT
"""), rem_lines([
    rem(d1 + timedelta(hours=3), ts(d1), "dur-3h@example.com", "Three hours"),
    rem(d2_end, ts(d2), "dur-1d@example.com", "One nominal day"),
    rem(d3 - timedelta(minutes=10), ts(d3), "dur-none@example.com", "No end"),
]))

# ---------------------------------------------------------------- RFC 5545 3.8.5.3
RFC = [  # uid, DTSTART (America/New_York wall), RRULE
    ("rfc-daily10", datetime(1997, 9, 2, 9), "FREQ=DAILY;COUNT=10"),
    ("rfc-daily-until", datetime(1997, 9, 2, 9), "FREQ=DAILY;UNTIL=19971224T000000Z"),
    ("rfc-every-10-days", datetime(1997, 9, 2, 9), "FREQ=DAILY;INTERVAL=10;COUNT=5"),
    ("rfc-weekly10", datetime(1997, 9, 2, 9), "FREQ=WEEKLY;COUNT=10"),
    ("rfc-tu-th", datetime(1997, 9, 2, 9), "FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH"),
    ("rfc-mwf-biweekly", datetime(1997, 9, 1, 9),
     "FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR"),
    ("rfc-wkst-mo", datetime(1997, 8, 5, 9), "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO"),
    ("rfc-wkst-su", datetime(1997, 8, 5, 9), "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU"),
    ("rfc-hourly-erratum", datetime(1997, 9, 2, 9), "FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T210000Z"),
]
RFC2 = [
    ("rfc-monthly-1fr", datetime(1997, 9, 5, 9), "FREQ=MONTHLY;COUNT=10;BYDAY=1FR"),
    ("rfc-monthday-minus3", datetime(1997, 9, 28, 9), "FREQ=MONTHLY;BYMONTHDAY=-3;COUNT=6"),
    ("rfc-jun-jul", datetime(1997, 6, 10, 9), "FREQ=YEARLY;COUNT=10;BYMONTH=6,7"),
    ("rfc-sat-after-sun", datetime(1997, 9, 13, 9),
     "FREQ=MONTHLY;COUNT=6;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13"),
    ("rfc-election", datetime(1996, 11, 5, 9),
     "FREQ=YEARLY;INTERVAL=4;COUNT=3;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8"),
    ("rfc-setpos3", datetime(1997, 9, 4, 9), "FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3"),
    ("rfc-setpos-minus2", datetime(1997, 9, 29, 9),
     "FREQ=MONTHLY;COUNT=7;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2"),
    ("rfc-weekno20", datetime(1997, 5, 12, 9), "FREQ=YEARLY;COUNT=3;BYWEEKNO=20;BYDAY=MO"),
    ("rfc-yearly-100th", datetime(1997, 1, 1, 9), "FREQ=YEARLY;INTERVAL=3;COUNT=6;BYYEARDAY=1,100,200"),
]


def rfc_case(name, rules, extra_ev=""):
    body, out = "", []
    for uid, start, rule in rules:
        body += f"""BEGIN:VEVENT
UID:{uid}
DTSTAMP:19970901T000000Z
DTSTART;TZID=America/New_York:{start.strftime('%Y%m%dT%H%M%S')}
DURATION:PT1H
RRULE:{rule}
SUMMARY:{uid}
END:VEVENT
"""
        out += [occ(u, uid, uid) for u in expand(rule, start, "America/New_York")]
    case(name, "--from 1996-01-01 --to 2006-01-01", cal(body + extra_ev), lines_of(out))


rfc_case("rfc5545_daily_weekly", RFC)
rfc_case("rfc5545_monthly_yearly", RFC2)

# Friday 13th (RFC), DTSTART not itself a Friday 13th: RFC 5545 keeps DTSTART in the
# set, so the RFC example excludes it with EXDATE.
f13 = expand("FREQ=MONTHLY;UNTIL=19990101T000000Z;BYDAY=FR;BYMONTHDAY=13",
             datetime(1997, 9, 2, 9), "America/New_York")
case("rfc5545_friday13_exdate", "--from 1997-01-01 --to 2000-01-01", cal("""
BEGIN:VEVENT
UID:rfc-fri13
DTSTAMP:19970901T000000Z
DTSTART;TZID=America/New_York:19970902T090000
EXDATE;TZID=America/New_York:19970902T090000
RRULE:FREQ=MONTHLY;UNTIL=19990101T000000Z;BYDAY=FR;BYMONTHDAY=13
SUMMARY:Friday the 13th
END:VEVENT
"""), lines_of([occ(u, "rfc-fri13", "Friday the 13th") for u in f13]))

# RFC 5545: DTSTART is always the first instance and counts toward COUNT, even when
# it does not match the rule (libical's iterator skips it).
t0 = datetime(2024, 3, 5, 10, tzinfo=UTC)
case("dtstart_not_matching_rule", "--from 2024-03-01 --to 2024-04-01", cal("""
BEGIN:VEVENT
UID:odd-start@example.com
DTSTAMP:20240101T000000Z
DTSTART:20240305T100000Z
RRULE:FREQ=WEEKLY;COUNT=3;BYDAY=TH
SUMMARY:Starts on a Tuesday
END:VEVENT
"""), lines_of([occ(t0, "odd-start@example.com", "Starts on a Tuesday")] +
               [occ(u, "odd-start@example.com", "Starts on a Tuesday")
                for u in expand("FREQ=WEEKLY;COUNT=2;BYDAY=TH", datetime(2024, 3, 5, 10), "UTC")]))

case("biweekly_far_from_dtstart", "--from 2024-03-01 --to 2024-05-01", cal("""
BEGIN:VEVENT
UID:biweekly@example.com
DTSTAMP:20200101T000000Z
DTSTART;TZID=Europe/Berlin:20200106T090000
RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO
SUMMARY:Biweekly since 2020
END:VEVENT
"""), lines_of(window([occ(u, "biweekly@example.com", "Biweekly since 2020")
                       for u in expand("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;UNTIL=20250101T000000Z",
                                       datetime(2020, 1, 6, 9), "Europe/Berlin")],
                      "2024-03-01", "2024-05-01")))

# ---------------------------------------------------------------- libical 3.0.16 bugs


def one_rule_case(name, uid, start, zone, rule, win, tzline=None):
    tzp = f"DTSTART;TZID={zone}:" if zone != "UTC" else "DTSTART:"
    suffix = "Z" if zone == "UTC" else ""
    ics = cal(f"""
BEGIN:VEVENT
UID:{uid}
DTSTAMP:20240101T000000Z
{tzp}{start.strftime('%Y%m%dT%H%M%S')}{suffix}
RRULE:{rule}
SUMMARY:{name}
END:VEVENT
""")
    case(name, f"--from {win[0]} --to {win[1]}", ics,
         lines_of(window([occ(u, uid, name) for u in expand(rule, start, zone)], *win)))


one_rule_case("bug_bysetpos_weekly", "setpos-weekly@example.com", datetime(2024, 1, 1, 9), "UTC",
              "FREQ=WEEKLY;COUNT=6;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1,3", ("2024-01-01", "2024-03-01"))
one_rule_case("bug_bysetpos_daily", "setpos-daily@example.com", datetime(2024, 1, 1, 18), "UTC",
              "FREQ=DAILY;COUNT=4;BYHOUR=9,12,18;BYSETPOS=-1", ("2024-01-01", "2024-03-01"))
one_rule_case("bug_byday_repeated", "byday-dup@example.com", datetime(2024, 1, 4, 18), "UTC",
              "FREQ=WEEKLY;COUNT=3;BYDAY=SU,TH,TH", ("2024-01-01", "2024-03-01"))
one_rule_case("bug_daily_negative_monthday", "neg-mday@example.com", datetime(2024, 1, 30, 12),
              "UTC", "FREQ=DAILY;COUNT=6;BYMONTHDAY=-1,-2", ("2024-01-01", "2024-06-01"))
one_rule_case("bug_byweekno", "weekno@example.com", datetime(2024, 1, 4, 9), "Europe/Berlin",
              "FREQ=YEARLY;COUNT=4;BYWEEKNO=1,10;BYDAY=TH", ("2024-01-01", "2026-01-01"))
one_rule_case("bug_unsorted_byhour", "byhour@example.com", datetime(2024, 2, 1, 8), "UTC",
              "FREQ=DAILY;COUNT=6;BYHOUR=17,8,12", ("2024-02-01", "2024-03-01"))
# fall-back overlap: 01:30 on 2024-11-03 exists twice in New York; RFC: the first (EDT)
one_rule_case("bug_dst_overlap_first", "overlap@example.com", datetime(2024, 11, 2, 1, 30),
              "America/New_York", "FREQ=DAILY;COUNT=3", ("2024-11-01", "2024-12-01"))
# spring-forward gap: 02:30 does not exist; read with the offset before the gap
one_rule_case("dst_gap", "gap@example.com", datetime(2024, 3, 9, 2, 30), "America/New_York",
              "FREQ=DAILY;COUNT=3", ("2024-03-01", "2024-04-01"))
case("bug_dst_gap_literal", "--from 2007-03-01 --to 2007-04-01", cal("""
BEGIN:VEVENT
UID:gap-literal@example.com
DTSTAMP:20070101T000000Z
DTSTART;TZID=America/New_York:20070311T023000
SUMMARY:In the gap
END:VEVENT
"""), lines_of([occ(z(datetime(2007, 3, 11, 2, 30), "America/New_York"), "gap-literal@example.com",
                    "In the gap")]))

# RDATE: TZID honoured, PERIOD kept, duplicate of an RRULE instance emitted once
rd = [occ(u, "rdate@example.com", "With RDATEs")
      for u in expand("FREQ=WEEKLY;COUNT=2", datetime(2024, 3, 5, 18), "Europe/Berlin")]
rd += [occ(z(datetime(2024, 3, 7, 18), "Europe/Berlin"), "rdate@example.com", "With RDATEs"),
       occ(datetime(2024, 3, 8, 10, tzinfo=UTC), "rdate@example.com", "With RDATEs"),
       occ(datetime(2024, 3, 9, 12, tzinfo=UTC), "rdate@example.com", "With RDATEs")]
rd += [day(date(2024, 3, d), "rdate-ad@example.com", "All-day with RDATE") for d in (1, 20)]
case("bug_rdate_tzid_period_dup", "--from 2024-03-01 --to 2024-04-01", cal(VTZ_BERLIN + """
BEGIN:VEVENT
UID:rdate@example.com
DTSTAMP:20240101T000000Z
DTSTART;TZID=Europe/Berlin:20240305T180000
DTEND;TZID=Europe/Berlin:20240305T190000
RRULE:FREQ=WEEKLY;COUNT=2
RDATE;TZID=Europe/Berlin:20240307T180000,20240312T180000
RDATE;VALUE=PERIOD:20240308T100000Z/PT2H
RDATE:20240309T120000Z
SUMMARY:With RDATEs
END:VEVENT
BEGIN:VEVENT
UID:rdate-ad@example.com
DTSTAMP:20240101T000000Z
DTSTART;VALUE=DATE:20240301
RDATE;VALUE=DATE:20240320
SUMMARY:All-day with RDATE
END:VEVENT
"""), lines_of(rd))

ex = [occ(u, "exdate@example.com", "Monday class")
      for u in expand("FREQ=WEEKLY;COUNT=6", datetime(2024, 3, 4, 10), "America/New_York")
      if u.date() not in (date(2024, 3, 11), date(2024, 3, 18), date(2024, 3, 25))]
ex += [day(date(2024, 3, d), "exdate-ad@example.com", "All-day daily") for d in (4, 6, 7)]
case("exdate_forms", "--from 2024-03-01 --to 2024-05-01", cal("""
BEGIN:VEVENT
UID:exdate@example.com
DTSTAMP:20240101T000000Z
DTSTART;TZID=America/New_York:20240304T100000
RRULE:FREQ=WEEKLY;COUNT=6
EXDATE;TZID=America/New_York:20240311T100000
EXDATE:20240318T140000Z
EXDATE;VALUE=DATE:20240325
SUMMARY:Monday class
END:VEVENT
BEGIN:VEVENT
UID:exdate-ad@example.com
DTSTAMP:20240101T000000Z
DTSTART;VALUE=DATE:20240304
RRULE:FREQ=DAILY;COUNT=4
EXDATE;VALUE=DATE:20240305
SUMMARY:All-day daily
END:VEVENT
"""), lines_of(ex))

# ---------------------------------------------------------------- overrides
# Google-style: overrides come BEFORE their master; one RECURRENCE-ID carries a TZID
# (libical 3.0.16's get_recurrenceid drops it), one is written in UTC.
ov = [occ(z(datetime(2024, 4, 4, 19), "Europe/Berlin"), "ovr@google.com", "Study group"),
      occ(z(datetime(2024, 4, 12, 20), "Europe/Berlin"), "ovr@google.com", "Study group (moved to Friday)"),
      occ(datetime(2024, 4, 25, 17, tzinfo=UTC), "ovr@google.com", "Study group: guest talk"),
      occ(z(datetime(2024, 5, 2, 19), "Europe/Berlin"), "ovr@google.com", "Study group"),
      occ(datetime(2024, 4, 10, 13, tzinfo=UTC), "orphan@google.com", "Orphan instance")]
case("overrides_before_master", "--from 2024-04-01 --to 2024-06-01", cal(VTZ_BERLIN + """
BEGIN:VEVENT
DTSTART;TZID=Europe/Berlin:20240412T200000
DTEND;TZID=Europe/Berlin:20240412T210000
DTSTAMP:20240401T000000Z
UID:ovr@google.com
RECURRENCE-ID;TZID=Europe/Berlin:20240411T190000
SEQUENCE:1
SUMMARY:Study group (moved to Friday)
END:VEVENT
BEGIN:VEVENT
DTSTART;TZID=Europe/Berlin:20240418T190000
DTEND;TZID=Europe/Berlin:20240418T200000
DTSTAMP:20240401T000000Z
UID:ovr@google.com
RECURRENCE-ID;TZID=Europe/Berlin:20240418T190000
STATUS:CANCELLED
SUMMARY:Study group
END:VEVENT
BEGIN:VEVENT
DTSTART;TZID=Europe/Berlin:20240425T190000
DTEND;TZID=Europe/Berlin:20240425T200000
DTSTAMP:20240401T000000Z
UID:ovr@google.com
RECURRENCE-ID:20240425T170000Z
SUMMARY:Study group: guest talk
END:VEVENT
BEGIN:VEVENT
DTSTART;TZID=Europe/Berlin:20240404T190000
DTEND;TZID=Europe/Berlin:20240404T200000
RRULE:FREQ=WEEKLY;COUNT=5
DTSTAMP:20240401T000000Z
UID:ovr@google.com
SUMMARY:Study group
END:VEVENT
BEGIN:VEVENT
DTSTART:20240410T130000Z
DTEND:20240410T140000Z
DTSTAMP:20240401T000000Z
UID:orphan@google.com
RECURRENCE-ID:20240410T120000Z
SUMMARY:Orphan instance
END:VEVENT
"""), lines_of(ov))

# RANGE=THISANDFUTURE (issue_75-shaped): every later instance shifts by the
# override's offset and takes its properties; a plain override still wins.
taf = []
base = [datetime(2024, 9, 1, 9, tzinfo=UTC) + timedelta(days=2 * i) for i in range(15)]
base.append(datetime(2024, 9, 14, 9, tzinfo=UTC))  # RDATE
for b in base:
    if b.day == 17:
        taf.append(occ(datetime(2024, 9, 17, 15, tzinfo=UTC), "taf@example.com", "ONE-OFF"))
    elif b.day >= 21:
        taf.append(occ(b - timedelta(hours=1), "taf@example.com", "EDITED EVENT"))
    elif b.day >= 13:
        taf.append(occ(b + timedelta(hours=1), "taf@example.com", "MODIFIED EVENT"))
    else:
        taf.append(occ(b, "taf@example.com", "ORIGINAL EVENT"))
case("range_thisandfuture", "--from 2024-08-01 --to 2024-11-01", cal("""
BEGIN:VEVENT
UID:taf@example.com
DTSTAMP:20240801T000000Z
DTSTART:20240901T090000Z
DTEND:20240901T100000Z
RRULE:FREQ=DAILY;INTERVAL=2;UNTIL=20240930
RDATE:20240914T090000Z
SUMMARY:ORIGINAL EVENT
END:VEVENT
BEGIN:VEVENT
UID:taf@example.com
DTSTAMP:20240801T000000Z
RECURRENCE-ID;RANGE=THISANDFUTURE:20240913T090000Z
DTSTART:20240913T100000Z
DTEND:20240913T110000Z
SUMMARY:MODIFIED EVENT
END:VEVENT
BEGIN:VEVENT
UID:taf@example.com
DTSTAMP:20240801T000000Z
RECURRENCE-ID:20240917T090000Z
DTSTART:20240917T150000Z
DTEND:20240917T160000Z
SUMMARY:ONE-OFF
END:VEVENT
BEGIN:VEVENT
UID:taf@example.com
DTSTAMP:20240801T000000Z
RECURRENCE-ID;RANGE=THISANDFUTURE:20240921T090000Z
DTSTART:20240921T080000Z
DTEND:20240921T090000Z
SUMMARY:EDITED EVENT
END:VEVENT
"""), lines_of(taf))

# Outlook all-day series whose override has a DATE-TIME RECURRENCE-ID in a Windows
# zone (issue_28): 2020-05-28T00:00 London is 05-27T23:00Z, so matching must be by date.
od = [date(2020, 5, 14) + timedelta(weeks=2 * i) for i in range(9)]
oad = [day(d, "oad@outlook", "Fortnightly review") for d in od if d != date(2020, 5, 28)]
oad.append(day(date(2020, 5, 29), "oad@outlook", "Review (moved)"))
case("outlook_allday_datetime_rid", "--from 2020-05-01 --to 2020-10-01", cal(VTZ_LONDON_OUTLOOK + """
BEGIN:VEVENT
UID:oad@outlook
DTSTAMP:20200501T000000Z
DTSTART;VALUE=DATE:20200514
DTEND;VALUE=DATE:20200515
RRULE:FREQ=WEEKLY;UNTIL=20200903T230000Z;INTERVAL=2;BYDAY=TH;WKST=MO
SUMMARY:Fortnightly review
X-MICROSOFT-CDO-ALLDAYEVENT:TRUE
END:VEVENT
BEGIN:VEVENT
UID:oad@outlook
DTSTAMP:20200501T000000Z
RECURRENCE-ID;TZID=GMT Standard Time:20200528T000000
DTSTART;VALUE=DATE:20200529
DTEND;VALUE=DATE:20200530
SUMMARY:Review (moved)
X-MICROSOFT-CDO-ALLDAYEVENT:TRUE
END:VEVENT
"""), lines_of(oad))

# A date-only RECURRENCE-ID on a timed series matches by date
dr = [occ(datetime(2024, 6, d, 15, tzinfo=UTC), "date-rid@example.com", "Daily standup") for d in (3, 5)]
dr.append(occ(datetime(2024, 6, 4, 16, tzinfo=UTC), "date-rid@example.com", "Standup (late)"))
case("date_only_recurrence_id", "--from 2024-06-01 --to 2024-07-01", cal("""
BEGIN:VEVENT
UID:date-rid@example.com
DTSTAMP:20240101T000000Z
DTSTART:20240603T150000Z
RRULE:FREQ=DAILY;COUNT=3
SUMMARY:Daily standup
END:VEVENT
BEGIN:VEVENT
UID:date-rid@example.com
DTSTAMP:20240101T000000Z
RECURRENCE-ID;VALUE=DATE:20240604
DTSTART:20240604T160000Z
SUMMARY:Standup (late)
END:VEVENT
"""), lines_of(dr))

case("cancelled_events", "--from 2024-03-01 --to 2024-04-01", cal("""
BEGIN:VEVENT
UID:gone@example.com
DTSTAMP:20240101T000000Z
DTSTART:20240305T100000Z
STATUS:CANCELLED
SUMMARY:Cancelled one-off
END:VEVENT
BEGIN:VEVENT
UID:gone-series@example.com
DTSTAMP:20240101T000000Z
DTSTART:20240304T100000Z
RRULE:FREQ=DAILY;COUNT=5
STATUS:CANCELLED
SUMMARY:Cancelled series
END:VEVENT
BEGIN:VEVENT
UID:kept@example.com
DTSTAMP:20240101T000000Z
DTSTART:20240306T100000Z
STATUS:CONFIRMED
SUMMARY:Still on
END:VEVENT
"""), lines_of([occ(datetime(2024, 3, 6, 10, tzinfo=UTC), "kept@example.com", "Still on")]))

case("until_before_dtstart", "--from 2024-01-01 --to 2025-01-01", cal("""
BEGIN:VEVENT
UID:until-early@example.com
DTSTAMP:20240101T000000Z
DTSTART:20240501T100000Z
RRULE:FREQ=DAILY;UNTIL=20240401T000000Z
SUMMARY:Never
END:VEVENT
"""), [])

# ---------------------------------------------------------------- VALARM
a = datetime(2024, 10, 3, 14, tzinfo=UTC)
wk = expand("FREQ=WEEKLY;COUNT=2", datetime(2024, 10, 1, 18), "Europe/Berlin")
c = datetime(2024, 10, 5, 10, tzinfo=UTC)
dd = datetime(2024, 10, 4, 9, tzinfo=UTC)
va = [rem(datetime(2024, 10, 3, 13, tzinfo=UTC) + timedelta(minutes=45 * k), ts(a), "abs@example.com",
          "Absolute alarm") for k in range(3)]
va += [rem(u - timedelta(days=1), ts(u), "weekly-alarm@example.com", "Weekly with alarm") for u in wk]
va += [rem(c + timedelta(minutes=55), ts(c), "end-alarm@example.com", "Two alarms"),
       rem(c - timedelta(minutes=15), ts(c), "end-alarm@example.com", "Two alarms"),
       rem(dd - timedelta(minutes=60), ts(dd), "no-alarm@example.com", "Lead time only")]
case("valarm_reminders", "--from 2024-09-01 --to 2024-11-01 --reminders --lead 60", cal("""
BEGIN:VEVENT
UID:abs@example.com
DTSTAMP:20240901T000000Z
DTSTART:20241003T140000Z
DTEND:20241003T150000Z
SUMMARY:Absolute alarm
BEGIN:VALARM
ACTION:DISPLAY
DESCRIPTION:Reminder
TRIGGER;VALUE=DATE-TIME:20241003T130000Z
REPEAT:2
DURATION:PT45M
END:VALARM
END:VEVENT
BEGIN:VEVENT
UID:weekly-alarm@example.com
DTSTAMP:20240901T000000Z
DTSTART;TZID=Europe/Berlin:20241001T180000
RRULE:FREQ=WEEKLY;COUNT=2
SUMMARY:Weekly with alarm
BEGIN:VALARM
ACTION:DISPLAY
TRIGGER:-P1D
END:VALARM
END:VEVENT
BEGIN:VEVENT
UID:end-alarm@example.com
DTSTAMP:20240901T000000Z
DTSTART:20241005T100000Z
DTEND:20241005T110000Z
SUMMARY:Two alarms
BEGIN:VALARM
ACTION:DISPLAY
TRIGGER;RELATED=END:-PT5M
END:VALARM
BEGIN:VALARM
ACTION:AUDIO
TRIGGER:-PT15M
END:VALARM
END:VEVENT
BEGIN:VEVENT
UID:no-alarm@example.com
DTSTAMP:20240901T000000Z
DTSTART:20241004T090000Z
SUMMARY:Lead time only
END:VEVENT
"""), rem_lines(va))

# ---------------------------------------------------------------- malformed input
ERR_HEAD = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//EN\nBEGIN:VEVENT\nUID:x\n"
case("err_no_colon", "--from 2024-01-01 --to 2024-02-01",
     ERR_HEAD + "DTSTART:20240101T100000Z\nthis line has no colon\nEND:VEVENT\nEND:VCALENDAR\n",
     exit=1, stderr="line 7:")
case("err_end_mismatch", "--from 2024-01-01 --to 2024-02-01",
     ERR_HEAD + "DTSTART:20240101T100000Z\nEND:VTODO\nEND:VCALENDAR\n", exit=1, stderr="line 7:")
case("err_bad_dtstart", "--from 2024-01-01 --to 2024-02-01",
     ERR_HEAD + "DTSTART:20240230T100000Z\nEND:VEVENT\nEND:VCALENDAR\n", exit=1, stderr="line 6:")
case("err_bad_rrule", "--from 2024-01-01 --to 2024-02-01",
     ERR_HEAD + "DTSTART:20240101T100000Z\nRRULE:FREQ=FORTNIGHTLY\nEND:VEVENT\nEND:VCALENDAR\n",
     exit=1, stderr="line 7:")
case("err_unclosed", "--from 2024-01-01 --to 2024-02-01",
     ERR_HEAD + "DTSTART:20240101T100000Z\nEND:VEVENT\n", exit=1, stderr="line 1:")
case("err_no_dtstart", "--from 2024-01-01 --to 2024-02-01",
     ERR_HEAD + "SUMMARY:no start\nEND:VEVENT\nEND:VCALENDAR\n", exit=1, stderr="line 4:")
case("err_html_body", "--from 2024-01-01 --to 2024-02-01",
     "<!DOCTYPE html>\n<html><body>Sign in</body></html>\n", exit=1, stderr="line 1:")
case("err_folded_line_number", "--from 2024-01-01 --to 2024-02-01",
     ERR_HEAD + "DESCRIPTION:a long\n  folded\n  description\nDTSTART:2024010\nEND:VEVENT\nEND:VCALENDAR\n",
     exit=1, stderr="line 9:")

# ---------------------------------------------------------------- shipped calendar
# config/calendars/study-groups.ics: cohort starting Monday 2027-01-04; group k meets
# in weeks 2k-1..2k on two weekdays at 19:00 or 20:00 America/New_York.
START = date(2027, 1, 4)
GROUPS = [("week01-02-data-foundations", "Data Fundamentals", "data-foundations", (0, 2), 20),
          ("week03-04-big-data-processing", "Spark & Kafka", "big-data-processing", (1, 3), 19),
          ("week05-06-data-architecture", "Data Architecture", "data-architecture", (2, 4), 20),
          ("week07-08-streaming-ml", "Real-time & ML", "streaming-ml", (3, 5), 19),
          ("week09-10-data-platform", "Platform & Governance", "data-platform", (6, 1), 20)]
sg = []
for k, (slug, title, chan, wdays, hour) in enumerate(GROUPS):
    first = START + timedelta(weeks=2 * k)
    for i in range(14):
        d = first + timedelta(days=i)
        if d.weekday() in wdays:
            sg.append(occ(z(datetime(d.year, d.month, d.day, hour), "America/New_York"),
                          f"study-group-{slug}@cohortbot", f"Study group: {title} (#{chan})"))
assert len(sg) == 20
CASES["study_groups_shipped"] = ("--from 2027-01-01 --to 2027-04-01", None, lines_of(sg), 0, None)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    for name, (args, ics, lines, code, stderr) in sorted(CASES.items()):
        head = []
        if ics is None:
            head.append("#SOURCE ../../../config/calendars/study-groups.ics")
        else:
            with open(os.path.join(here, name + ".ics"), "w", newline="") as f:
                f.write(ics)
        head.append("#ARGS " + args)
        if code:
            head.append(f"#EXIT {code}")
        if stderr:
            head.append("#STDERR " + stderr)
        with open(os.path.join(here, name + ".expected"), "w") as f:
            f.write("\n".join(head + lines) + "\n")
    print(f"{len(CASES)} cases")


if __name__ == "__main__":
    main()
