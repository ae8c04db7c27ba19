"""The reader of nowcast reports (sim.observations): the format, HXL rows, and one-line errors per line and column."""

from __future__ import annotations

import numpy as np
import pytest

from sim.errors import InputError
from sim.observations import CITY, read_observations

NAMES = ["Holosiivskyi", "Darnytskyi"]
CODES = ["UA80000000000126643", "UA80000000000210193"]
START = np.datetime64("2026-01-29T00:00", "ns")
END = np.datetime64("2026-02-05T00:00", "ns")

GOOD = """time,district,buildings_without_heat,share_without_power,queues_off,comment
#date,#adm5+name,#indicator+buildings+noheat,#indicator+share+nopower,#indicator+queues+off,#meta
2026-01-30T08:00,Darnytskyi,1900,0.35,,morning briefing
2026-01-30T08:00,UA80000000000126643,250,,,
2026-01-30T08:00,city,,,3.5,
2026-01-31T08:00,holosiivskyi,120,0.2,,

2026-01-31T08:00,City,,,4,
"""


def write(tmp_path, text: str, name: str = "reports.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def read(path, **kw):
    kw.setdefault("start", START)
    kw.setdefault("end", END)
    return read_observations(path, NAMES, CODES, **kw)


def test_reads_names_codes_city_and_skips_the_hxl_row(tmp_path):
    obs = read(write(tmp_path, GOOD))
    t = obs.table
    assert len(obs) == 7 and obs.n_in_file == 7
    assert obs.as_of == np.datetime64("2026-01-31T08:00", "ns")  # default: the last report
    first = t[t["time"] == np.datetime64("2026-01-30T08:00")]
    got = {(r.district, r.quantity): r.value for r in first.itertuples()}
    assert got == {
        ("Holosiivskyi", "buildings_without_heat"): 250.0,  # by KATOTTH code
        ("Darnytskyi", "buildings_without_heat"): 1900.0,
        ("Darnytskyi", "share_without_power"): 0.35,
        ("city", "queues_off"): 3.5,
    }
    assert set(t.loc[t["district"] == "city", "district_index"]) == {CITY}
    # line numbers count the header (1), the HXL row (2) and blank lines
    assert t.loc[(t["district"] == "city") & (t["value"] == 4.0), "line"].item() == 8
    assert t.loc[t["value"] == 1900.0, "line"].item() == 3
    assert "7 reports at 2 times" in obs.describe()


def test_as_of_keeps_the_reports_up_to_that_time(tmp_path):
    obs = read(write(tmp_path, GOOD), as_of="2026-01-30T12:00")
    assert len(obs) == 4 and obs.n_in_file == 7
    assert obs.table["time"].max() == np.datetime64("2026-01-30T08:00")
    none = read(write(tmp_path, GOOD), as_of="2026-01-29T06:00")
    assert len(none) == 0 and "no reports up to" in none.describe()


def test_a_file_headed_by_hxl_tags_only_is_read_by_its_tags(tmp_path):
    text = ("#date,#adm5+name,#indicator+noheat+buildings\n"  # attributes in any order
            "2026-01-30T08:00,Darnytskyi,1900\n")
    t = read(write(tmp_path, text)).table
    assert t[["district", "quantity", "value"]].values.tolist() == [["Darnytskyi", "buildings_without_heat", 1900.0]]


def test_utc_offset_is_dropped_and_wall_clock_kept(tmp_path):
    text = "time,district,queues_off\n2026-01-30T08:00+02:00,city,3\n"
    assert read(write(tmp_path, text)).table["time"].iloc[0] == np.datetime64("2026-01-30T08:00")


H = "time,district,buildings_without_heat,share_without_power,queues_off\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "empty file"),
        ("time,place,buildings_without_heat\n2026-01-30,city,3\n", "missing column(s) district"),
        ("time,district,people\n2026-01-30,city,3\n", "no column with reports"),
        (H, "no reports after the header"),
        (H + "2026-01-30T08:00,Darnytskyi,1,,\nyesterday,city,,,2\n", "line 3: column time: cannot parse 'yesterday'"),
        (H + ",city,,,2\n", "line 2: column time: empty"),
        (H + "2026-01-30T08:00,Podilskyi,3,,\n", "line 2: column district: unknown district 'Podilskyi'"),
        (H + "2026-01-30T08:00,,3,,\n", "line 2: column district: empty"),
        (H + '2026-01-30T08:00,Darnytskyi,"1,900",,\n', "line 2: column buildings_without_heat: not a number '1,900' (write 1900"),
        (H + "2026-01-30T08:00,Darnytskyi,-3,,\n", "line 2: column buildings_without_heat: -3 is negative"),
        (H + "2026-01-30T08:00,Darnytskyi,3.5,,\n", "line 2: column buildings_without_heat: 3.5 is not a whole number"),
        (H + "2026-01-30T08:00,Darnytskyi,,35,\n", "line 2: column share_without_power: 35 is outside [0, 1] (it looks like a percentage"),
        (H + "2026-01-30T08:00,city,,,7\n", "line 2: column queues_off: 7 is outside 0..6"),
        (H + "2026-01-30T08:00,Darnytskyi,,,2\n", "line 2: column queues_off: outage queues are city-wide"),
        (H + "2026-01-30T08:00,Darnytskyi,,,\n", "line 2: no value in any of"),
        (H + "2026-01-30T08:00,Darnytskyi,3,,\n2026-01-30T08:00,UA80000000000210193,4,,\n",
         "line 3: buildings_without_heat for Darnytskyi at 2026-01-30 08:00 is also on line 2"),
        (H + "2026-01-30T08:00,Darnytskyi,3,,\n2026-01-30T08:00,city,9,,\n",
         "line 3: city total of buildings_without_heat at 2026-01-30 08:00 is also reported by district (line 2)"),
        (H + "2026-01-20T08:00,city,,,2\n", "line 2: column time: 2026-01-20 08:00 is before the run's start"),
        (H + "2026-02-05T00:00,city,,,2\n", "line 2: column time: 2026-02-05 00:00 is at or after the run's end"),
    ],
)
def test_bad_files_get_one_line_naming_line_and_column(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(InputError) as e:
        read(path)
    msg = str(e.value)
    assert msg.startswith(f"observations file {path}: "), msg
    assert expected in msg, msg
    assert "\n" not in msg


def test_missing_file_and_bad_as_of(tmp_path):
    with pytest.raises(InputError, match="not found"):
        read(tmp_path / "nope.csv")
    with pytest.raises(InputError, match=r"nowcast\.as_of=2026-01-20 00:00: before the run.s start"):
        read(write(tmp_path, GOOD), as_of="2026-01-20")
