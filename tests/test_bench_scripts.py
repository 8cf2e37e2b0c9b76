"""`make bench`'s scripts: the profiles of scripts/bench_seed.py, the Kungsör profile seeded
for real and the benchmark's pages answering on it, and the tables scripts/bench.py writes."""

import copy
import json
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
sys.path.insert(0, str(SCRIPTS))

import bench  # noqa: E402 (scripts/ is not a package)
import bench_seed  # noqa: E402


def test_a_number_is_national_scale_times_it_with_two_and_five_years():
    national = bench_seed.profile("1.0")
    assert national.national and national.name == "1"
    assert national.counts == bench_seed.BASE
    assert (national.past_days, national.sick_leave_months) == (730, 60)
    small = bench_seed.profile("0.01")
    assert small.counts["managers"] == 400 and small.counts["coaches"] == 3
    assert (small.past_days, small.sick_leave_months) == (730, 60)
    assert bench.title(national) == "national"
    assert bench.title(small) == "national ×0.01"


@pytest.mark.parametrize("name", ["kungsor", "Kungsör", " KUNGSOR "])
def test_kungsor_is_its_own_size_over_ten_years(name):
    kungsor = bench_seed.profile(name)
    assert kungsor is bench_seed.KUNGSOR and not kungsor.national
    assert kungsor.counts["managers"] == 60 and kungsor.counts["coaches"] == 1
    assert kungsor.counts["hr"] == 1
    assert (kungsor.past_days, kungsor.sick_leave_months) == (3650, 120)
    assert len(kungsor.units) == len(kungsor.forvaltningar) == kungsor.counts["forvaltningar"]
    assert bench.title(kungsor) == "Kungsör"


@pytest.mark.parametrize("name", ["0", "-1", "nationell", ""])
def test_anything_else_is_refused(name):
    with pytest.raises(ValueError):
        bench_seed.profile(name)


@pytest.mark.django_db
def test_the_kungsor_profile_seeds_ten_years_and_every_benchmark_page_answers(client):
    from accounts.models import User
    from programme.models import Cohort, Programme
    from reflections.models import Entry
    from reports.models import SickLeaveFigure
    from sessions.models import TrainingSession

    seeder = bench_seed.Seeder(bench_seed.KUNGSOR, vacuum=False)
    seeder.run()

    assert User.objects.filter(groups__name="chef").count() == 60
    coach = User.objects.get(email="bench.coach@bench.invalid")
    assert User.objects.filter(groups__name="ledartranare").get() == coach
    assert User.objects.filter(groups__name="hr").get().email == "bench.hr@bench.invalid"
    assert User.objects.get(email="bench.admin@bench.invalid").is_superuser
    assert Programme.objects.count() == 1
    assert Cohort.objects.count() == Cohort.objects.filter(coaches=coach).count() == 5

    today = timezone.localdate()
    chef = User.objects.get(email="bench.chef@bench.invalid")
    journal = Entry.objects.filter(author=chef)
    assert journal.count() == 250
    assert journal.earliest("written_on").written_on <= today - timedelta(days=9 * 365)
    sessions = TrainingSession.objects.filter(coaches=coach)
    assert sessions.count() == 515
    assert sessions.earliest("starts_at").starts_at.date() <= today - timedelta(days=9 * 365)
    assert sessions.filter(starts_at__gt=timezone.now()).exists()
    months = SickLeaveFigure.objects.values("month").distinct().count()
    assert months == 120

    people = {"chef": chef, "coach": coach, "hr": User.objects.get(email="bench.hr@bench.invalid")}
    for label, who, path in bench.pages():
        client.force_login(people[who])
        assert client.get(path, secure=True).status_code == 200, label


def _row(page: str, p95: float, p99_at_8: float) -> dict:
    figures = {"requests": 100, "p50_ms": p95 / 2, "p95_ms": p95, "p99_ms": p95, "rps": 50.0}
    return {
        "page": page,
        "bytes": 1000,
        "c1": figures | {"ratio": 0.5, "non_2xx": 0, "socket_errors": 0},
        "c8": figures | {"p99_ms": p99_at_8, "ratio": 0.5, "non_2xx": 0, "socket_errors": 0},
        "floor_c1": {"rps": 100.0},
        "floor_c8": {"rps": 100.0},
        "errors": 0,
    }


def _report() -> dict:
    national = {
        "scale": "1",
        "title": "national",
        "national": True,
        "seed_seconds": 250.0,
        "rows": {"reflections": 2_000_000},
        "pages": [
            _row("Manager start page", 12.0, 80.0),
            _row("Journal list", 61.0, 120.0),
            _row("Cohort page", 40.0, 300.0),
            _row("HR dashboard", 95.0, 240.0),
        ],
        "sick_leave": {"best_ms": 100.0, "median_ms": 110.0, "years": 5},
        "fanout": {
            "reminders": 50_000,
            "people": 40_000,
            "finished": True,
            "seconds": 150.0,
            "reminders_sent": 50_000,
            "emails_received": 40_000,
            "reminders_per_second": 333.0,
            "noop_per_second": 1000.0,
            "ratio": 0.333,
        },
        "sign_in_ms": 900.0,
        "dashboard_count_seconds": 6.0,
        "seconds": 700.0,
        "notes": [],
    }
    kungsor = copy.deepcopy(national) | {
        "scale": "kungsor",
        "title": "Kungsör",
        "national": False,
        "pages": [
            _row("Manager start page", 8.0, 30.0),
            _row("Journal list", 16.0, 400.0),
            _row("Cohort page", 9.0, 50.0),
            _row("HR dashboard", 14.0, 60.0),
        ],
        "sick_leave": {"best_ms": 10.0, "median_ms": 11.0, "years": 10},
        "rows": {"reflections": 15_000},
    }
    del kungsor["fanout"]
    machine = {
        "date": "2026-12-07 12:00 UTC",
        "cores": 2,
        "memory_mib": 24105,
        "platform": "Linux",
        "python": "3.11",
        "django": "5.2",
        "postgresql_client": "psql 15",
        "web_workers": 4,
    }
    return {"machine": machine, "runs": [national, kungsor], "seconds": 1000.0}


def test_the_goals_of_issue_18():
    national = _report()["runs"][0]["pages"]
    assert [bench.missed_goals(row, True) for row in national] == [
        [],
        ["p95 @1 > 50 ms"],
        ["p99 @8 > 250 ms"],
        [],  # the HR dashboard may take 100 ms
    ]
    kungsor = _report()["runs"][1]["pages"]
    # At Kungsör's size only p95 at 1 client counts, for every page alike.
    assert [bench.missed_goals(row, False) for row in kungsor] == [
        [],
        ["p95 @1 > 15 ms"],
        [],
        [],
    ]
    assert bench.missed_goals({"page": "x", "timed_out": True}, True) == ["no answer within 60 s"]


def test_the_page_table_shows_before_national_and_kungsor_side_by_side():
    before = bench.load_baseline(SCRIPTS.parent / "docs" / "benchmarks-baseline.json")
    text = bench.markdown(_report(), before)
    header = next(line for line in text.splitlines() if line.startswith("| page | before"))
    assert header == (
        "| page | before p95 @1 | before p99 @8 | national p95 @1 | national p99 @8 "
        "| Kungsör p95 @1 | Kungsör p99 @8 | goals |"
    )
    side_by_side = text.partition("## Pages")[2].partition("## Data")[0]
    rows = {line.split(" | ")[0]: line for line in side_by_side.splitlines() if line[:2] == "| "}
    # Before: the run of 2026-11-28, as docs/benchmarks.md showed it.
    assert rows["| Journal list"] == (
        "| Journal list | 58.4 | 202.5 | 61.0 | 120.0 | 16.0 | 400.0 "
        "| national: p95 @1 > 50 ms; Kungsör: p95 @1 > 15 ms |"
    )
    assert rows["| Manager start page"].endswith("| met |")
    assert rows["| Cohort page"].endswith("| national: p99 @8 > 250 ms |")
    assert rows["| HR dashboard"].endswith("| met |")
    # Pages measured before but not now are shown, and said to be missing.
    assert rows["| Mina träffar"].startswith("| Mina träffar | 24.3 | 140.0 | – | – | – | – |")
    assert "national: not measured; Kungsör: not measured" in rows["| Mina träffar"]
    assert "| reflections | 2,000,000 | 15,000 |" in text
    assert "| 903 / 930 ms over 5 years | 100 / 110 ms over 5 years | 10 / 11 ms over 10" in text
    assert "## Every figure: national (`BENCH_SCALE=1`)" in text
    assert "## Every figure: Kungsör (`BENCH_SCALE=kungsor`)" in text
    assert bench.ANALYSIS not in text


def test_the_baseline_is_the_run_of_2026_11_28_in_the_shape_bench_writes():
    baseline = json.loads((SCRIPTS.parent / "docs" / "benchmarks-baseline.json").read_text())
    (run,) = baseline["runs"]
    assert run["title"] == "national" and baseline["machine"]["date"].startswith("2026-11-28")
    assert len(run["pages"]) == 10
    assert [row["page"] for row in run["pages"]] == [
        "Manager start page",
        "Mina träffar",
        "Journal list",
        "Journal search",
        "Journal editor",
        "Coach schedule",
        "Session attendance",
        "Cohort page",
        "HR dashboard",
        "HR export (units, XLSX)",
    ]
    assert run["pages"][0]["c1"]["p95_ms"] == 10.4  # as docs/benchmarks.md showed it


def test_writing_the_docs_keeps_the_hand_written_analysis(tmp_path):
    docs = tmp_path / "benchmarks.md"
    docs.write_text(f"# Old tables\n\n{bench.ANALYSIS}\n\nWhy, by hand.\n")
    bench.write_docs(docs, "# New tables\n")
    assert docs.read_text() == f"# New tables\n\n{bench.ANALYSIS}\n\nWhy, by hand.\n"
    fresh = tmp_path / "fresh.md"
    bench.write_docs(fresh, "# New tables\n")
    assert fresh.read_text() == "# New tables\n"
