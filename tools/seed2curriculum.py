#!/usr/bin/env python3
"""One-off converter: the Data Engineer Learning Path seed (markdown whose UTF-8 was
read as Windows-1254 and written back as UTF-8) -> config/curricula/data-engineer.json.

Usage: tools/seed2curriculum.py SEED.txt > config/curricula/data-engineer.json

The 70 days, week titles and objectives are parsed from the seed text; the smaller
tables (phases, projects, study groups, assessments, mentorship, capstone) are
transcribed below from the seed's own sections. The committed artifact is the JSON;
this script documents how it was made and can be re-run to check it.
"""
import json
import re
import sys

# Bytes 0x81 0x8D 0x8E 0x8F 0x90 0x9D 0x9E are undefined in cp1254 and U+00AD (soft
# hyphen) was stripped, so the seed lost bytes; plain re-encoding cannot repair it.
# Each damaged sequence is mapped to the emoji whose UTF-8, read as cp1254 with those
# bytes dropped, gives exactly that sequence (checked by mangle() below).
# The emoji the seed used, written correctly; the damaged form of each is computed
# by mangle(), so the table cannot drift from the rule it encodes.
EMOJI = [
    "\U0001F3AF", "\U0001F3D7\uFE0F", "\u2699\uFE0F", "\U0001F3DB\uFE0F", "\U0001F680",
    "\U0001F4CA", "\U0001F5FA\uFE0F", "\U0001F4D6", "\U0001F6E0\uFE0F", "\u23F1\uFE0F",
    "\U0001F4C8", "\U0001F4BC", "\U0001F465", "\U0001F4DA", "\u2192", "\U0001F3C1",
    "\U0001F4A1", "\u2B50",
    # F0 9F 8E 93 (graduation cap) and F0 9F 93 9D (memo) both damage to the same
    # three characters; the heading is "Next Steps & Specializations": graduation cap.
    "\U0001F393",
]
CP1254_UNDEF = {0x81, 0x8D, 0x8E, 0x8F, 0x90, 0x9D, 0x9E}


def mangle(s):
    """What the seed's encoding accident made of s."""
    out = []
    for b in s.encode("utf-8"):
        if b in CP1254_UNDEF:
            continue
        ch = bytes([b]).decode("cp1254")
        if ch != "\u00ad":
            out.append(ch)
    return "".join(out)


def repair(text):
    table = {mangle(good): good for good in EMOJI}
    assert len(table) == len(EMOJI), "two emoji damage to the same text"
    for bad in sorted(table, key=len, reverse=True):
        text = text.replace(bad, table[bad])
    leftover = set(re.findall(r"[^\x00-\x7f]+", text)) - set(EMOJI) - {"\u2b50" * 4, "\u2b50" * 5}
    assert not any(t.strip() for t in leftover), leftover
    return text
ICONS = {"read": "\U0001F4D6", "lab": "\U0001F6E0\uFE0F", "success": "\U0001F4CA",
         "time": "\u23F1\uFE0F", "overview": "\U0001F3AF", "capstone": "\U0001F3C1"}

WEEK_RE = re.compile(r"^- \*\*Week (\d+): (.+?)\*\*$")
DAY_RE = re.compile(r"^\*\*Day (\d+)(?:-(\d+))?\*\*: (.+)$")
PHASE_RE = re.compile(r"^### Week (\d+)-(\d+): (.+?) (\S+)$")
LINK_RE = re.compile(r"^\[(.+?)\]\((.+?)\)$")
HOURS_RE = re.compile(r"^(\d+)-(\d+) hours$")


def parse_curriculum(lines):
    """Phases, weeks (title, objectives) and day blocks from the week-by-week part."""
    phases, weeks, blocks = [], [], []
    week = block = phase = None
    mode = None
    for raw in lines:
        line = raw.strip()
        if line.startswith("## ") and weeks and "Week-by-Week" not in line:
            break
        m = PHASE_RE.match(line)
        if m:
            phase = {"first": int(m[1]), "last": int(m[2]), "title": m[3], "icon": m[4]}
            phases.append(phase)
            mode = "phase"
            continue
        if mode == "phase" and line.startswith("!!! "):
            phase["headline"] = line.split('"')[1]
            continue
        if mode == "phase" and line and not line.startswith("<"):
            phase["summary"] = line
            mode = None
            continue
        m = WEEK_RE.match(line)
        if m:
            week = {"number": int(m[1]), "title": m[2], "objectives": [], "phase": phase}
            weeks.append(week)
            mode = None
            continue
        if line == "**Learning Objectives**:":
            mode = "objectives"
            continue
        if mode == "objectives" and line.startswith("- [ ] "):
            week["objectives"].append(line[6:])
            continue
        m = DAY_RE.match(line)
        if m:
            block = {"first": int(m[1]), "last": int(m[2] or m[1]), "topic": m[3],
                     "week": week["number"], "items": []}
            blocks.append(block)
            mode = "day"
            continue
        if mode == "day" and line.startswith("- "):
            block["items"].append(line[2:])
            continue
        if mode == "day" and not line:
            mode = None
    return phases, weeks, blocks


def strip_icon(item):
    for icon in (ICONS["read"], ICONS["lab"], ICONS["success"], ICONS["time"]):
        if item.startswith(icon + " "):
            return item[len(icon) + 1:]
    return item


def block_fields(block):
    """read/lab/success/time of an ordinary block; None for the capstone block."""
    fields = {}
    for item in block["items"]:
        key, _, value = strip_icon(item).partition(": ")
        fields[key] = value
    if "Lab" not in fields:
        return None
    kind = "read" if "Read" in fields else "study"
    text = fields.get("Read") or fields["Study"]
    out = {"read_kind": kind}
    m = LINK_RE.match(text)
    if m:
        out["read"], out["read_link"] = m[1], m[2]
    else:
        out["read"] = text
    out["lab"] = fields["Lab"]
    out["success"] = fields["Success"]
    h = HOURS_RE.match(fields["Time"])
    out["time_text"] = fields["Time"]
    out["block_hours_min"], out["block_hours_max"] = int(h[1]), int(h[2])
    return out


def section_items(lines, heading):
    """The '- ' items (checkbox marks removed) right after the line equal to `heading`,
    up to the first line that is not an item."""
    out, inside = [], False
    for raw in lines:
        line = raw.strip()
        if line == heading:
            inside = True
        elif inside and line.startswith("- "):
            out.append(line[2:].removeprefix("[ ] "))
        elif inside and out:
            break
    return out


def frontmatter(text):
    head = text.split("---")[1]
    meta, key = {}, None
    for line in head.splitlines():
        if line.startswith("  - "):
            meta[key].append(line[4:])
        elif ": " in line:
            key, value = line.split(": ", 1)
            meta[key] = value
        elif line.endswith(":"):
            key = line[:-1]
            meta[key] = []
    return meta


GROUPS = [  # from the "Specialized Study Groups" table; EST = America/New_York
    ([1, 2], "Data Fundamentals", "data-foundations", ["Mon", "Wed"], "20:00", "Mon/Wed 8pm EST"),
    ([3, 4], "Spark & Kafka", "big-data-processing", ["Tue", "Thu"], "19:00", "Tue/Thu 7pm EST"),
    ([5, 6], "Data Architecture", "data-architecture", ["Wed", "Fri"], "20:00", "Wed/Fri 8pm EST"),
    ([7, 8], "Real-time & ML", "streaming-ml", ["Thu", "Sat"], "19:00", "Thu/Sat 7pm EST"),
    ([9, 10], "Platform & Governance", "data-platform", ["Sun", "Tue"], "20:00", "Sun/Tue 8pm EST"),
]

TRACKS = [  # "High-demand specializations"
    ("streaming", "Real-time/streaming systems"),
    ("ml-platform", "ML platform engineering"),
    ("governance", "Data governance/privacy"),
    ("multi-cloud", "Multi-cloud architecture"),
]


def assessments(lines):
    out = []
    for raw in lines:
        m = re.match(r"^- \*\*Week (\d+)\*\*: (.+) \((\d+) questions\)$", raw.strip())
        if m:
            out.append({"week": int(m[1]), "topic": m[2], "questions": int(m[3]),
                        "pass_percent": 80, "format": "Multiple choice + coding challenges",
                        "practical": "Build working data pipeline"})
    return out


def scenarios(lines):
    out, cur = [], None
    for raw in lines:
        line = raw.strip()
        m = re.match(r"^\*\*(.+)\*\* \(Week (\d+)-(\d+)\)$", line)
        if m:
            cur = {"name": m[1], "weeks": [int(m[2]), int(m[3])], "items": []}
            out.append(cur)
        elif cur is not None and line.startswith("- "):
            cur["items"].append(line[2:])
        elif cur is not None and line.startswith("##"):
            break
    return out


def capstone(lines, blocks):
    text = "\n".join(l.strip() for l in lines)
    tech = []
    for area in ["Data Ingestion", "Data Processing", "Data Storage", "Data Serving",
                 "Data Governance"]:
        tech.append({"area": area, "items": section_items(lines, f"**{area}**:")})
    perf = re.findall(r"^- \*\*(\w+)\*\*: (.+)$", text.split("### Performance Requirements")[1]
                      .split("###")[0], re.M)
    rubric = []
    for m in re.finditer(r"^\| \*\*(\w[\w ]*)\*\* \| (\d+)% \| (.+?) \| (.+?) \| (.+?) \| (.+?) \|$",
                         text, re.M):
        rubric.append({"component": m[1], "weight_percent": int(m[2]),
                       "excellent": m[3], "good": m[4], "fair": m[5], "poor": m[6]})
    cap_block = blocks[-1]
    components = []
    for item in cap_block["items"]:
        area, _, req = item.partition(": ")
        components.append({"area": area, "requirement": req})
    overview = text.split("### Project Overview\n\n")[1].split("\n")[0]
    return {
        "title": "Enterprise Data Platform",
        "build": "Complete Data Platform",
        "overview": overview,
        "platform_requirements": section_items(lines, "**Platform Requirements**:"),
        "components": components,
        "technical_requirements": tech,
        "performance_requirements": [{"metric": a, "target": b.strip()} for a, b in perf],
        "rubric": rubric,
        "points_max": 20,
        "points_pass": 12,
        "points_excellent": 18,
    }


def project_sets(lines):
    out, cur = {}, None
    for raw in lines:
        line = raw.strip()
        m = re.match(r"^- \*\*(\w+ Projects)\*\* \(Week (\d+)-(\d+)\)$", line)
        if m:
            cur = out.setdefault(m[1], {"weeks": [int(m[2]), int(m[3])], "items": []})
        elif cur is not None and line.startswith("- [ ] "):
            cur["items"].append(line[6:])
        elif cur is not None and line.startswith("</div>"):
            break
    return out


def make_days(blocks, cap, target):
    days = []
    for b in blocks:
        parts = b["last"] - b["first"] + 1
        fields = block_fields(b)
        derived = []
        if fields is None:  # the capstone block: derive from week 10 and the capstone
            comps = "; ".join(f"{c['area']}: {c['requirement']}" for c in cap["components"])
            fields = {
                "read_kind": "study",
                "read": ("Capstone brief: " + cap["overview"] + " Review its technical "
                         "requirements (" + ", ".join(t["area"].removeprefix("Data ").lower()
                                                      for t in cap["technical_requirements"])
                         + ") and performance requirements."),
                "lab": "Build the " + cap["build"].lower() + " \u2014 " + comps,
                "success": (f"Capstone rubric score of at least {cap['points_pass']}/"
                            f"{cap['points_max']} points ({cap['points_excellent']}/"
                            f"{cap['points_max']} for excellence)"),
                "time_text": f"{target['min_hours_per_week']}-{target['max_hours_per_week']} "
                             "hours/week (the path's weekly time target)",
                "block_hours_min": target["min_hours_per_week"],
                "block_hours_max": target["max_hours_per_week"],
            }
            derived = ["read", "success", "time"]
        mid = (fields["block_hours_min"] + fields["block_hours_max"]) / 2 / parts
        for i in range(parts):
            day = {"day": b["first"] + i, "week": b["week"], "part": i + 1, "parts": parts,
                   "topic": b["topic"]}
            day.update(fields)
            day["time_hours"] = int(mid) if mid == int(mid) else mid
            if derived:
                day["capstone"] = True
                day["derived"] = derived
            days.append(day)
    return days


def build(text):
    lines = text.splitlines()
    meta = frontmatter(text)
    phases, weeks, blocks = parse_curriculum(lines)
    sets = project_sets(lines)
    cap = capstone(lines, blocks)
    target = {"min_hours_per_week": 15, "max_hours_per_week": 20, "text": "15-20 hours/week",
              "breakdown": [{"activity": "Theory and concepts", "min_hours": 5, "max_hours": 7},
                            {"activity": "Hands-on coding", "min_hours": 8, "max_hours": 10},
                            {"activity": "Projects and labs", "min_hours": 4, "max_hours": 6}]}
    days = make_days(blocks, cap, target)
    out_weeks = []
    for w in weeks:
        ph = w["phase"]
        name, ps = next((n, s) for n, s in sets.items()
                        if s["weeks"][0] <= w["number"] <= s["weeks"][1])
        ow = {"number": w["number"], "title": w["title"], "theme": ph["title"],
              "icon": ph["icon"], "headline": ph["headline"], "summary": ph["summary"],
              "objectives": w["objectives"], "project_set": name, "projects": ps["items"]}
        if not w["objectives"]:  # week 10 lists platform requirements instead
            ow["objectives"] = ["Build the " + cap["build"].lower() + ": " + r[0].lower() + r[1:]
                                for r in cap["platform_requirements"]]
            ow["derived"] = ["objectives"]
        ow["days"] = [d for d in days if d["week"] == w["number"]]
        out_weeks.append(ow)
    return {
        "schema": 1,
        "slug": "data-engineer",
        "name": meta["title"],
        "title": "Transform Raw Data into Business Intelligence",
        "description": meta["description"],
        "summary": next(l.strip() for l in lines if l.startswith("    This intensive 10-week")),
        "difficulty": meta["difficulty"],
        "last_updated": meta["last_updated"],
        "icons": ICONS,
        "prerequisites": meta["prerequisites"],
        "recommended": section_items(lines, "**Recommended** (Nice to Have):"),
        "outcomes": meta["outcomes"],
        "time_target": target,
        "weeks": out_weeks,
        "study_groups": [{"weeks": g[0], "focus": g[1], "name": g[2], "days": g[3], "time": g[4],
                          "zone": "America/New_York", "schedule_text": g[5]} for g in GROUPS],
        "assessments": assessments(lines),
        "evaluations": [
            {"week": 5, "kind": "Mid-term", "project": "End-to-end data pipeline"},
            {"week": 10, "kind": "Final", "project": "Complete data platform"}],
        "evaluation_criteria": [
            {"criterion": "Architecture design", "weight_percent": 30},
            {"criterion": "Code quality and performance", "weight_percent": 25},
            {"criterion": "Data quality and monitoring", "weight_percent": 25},
            {"criterion": "Documentation and governance", "weight_percent": 20}],
        "scenarios": scenarios(lines),
        "capstone": dict(week=10, **cap),
        "mentorship": {
            "session_minutes": 45, "every_days": 14, "text": "45 minutes bi-weekly",
            "agenda": section_items(lines, "**Meeting Structure**:")[1:],
            "tracks": [{"slug": s, "label": l} for s, l in TRACKS]},
    }


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        doc = build(repair(f.read()))
    json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
