"""The CLI: help with examples everywhere, the issue's questions answered, clean errors."""

from __future__ import annotations

import json

import pytest
import typer

from magchain.cli.main import app


def _commands(typer_app: typer.Typer, prefix=()):
    for info in typer_app.registered_commands:
        yield (*prefix, info.name or info.callback.__name__.rstrip("_"))
    for group in typer_app.registered_groups:
        yield from _commands(group.typer_instance, (*prefix, group.name))


ALL_COMMANDS = list(_commands(app))


def test_command_list_is_complete():
    names = {" ".join(c) for c in ALL_COMMANDS}
    assert {"facilities", "facility", "companies", "company", "events", "sources", "source", "import", "export",
            "db init", "db upgrade"} <= names


@pytest.mark.parametrize("command", ALL_COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(cli, command):
    result = cli(*command, "--help")
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output and "magchain" in result.output


def test_us_magnet_plants_answer_the_question(cli):
    result = cli("facilities", "--stage", "magnet", "--country", "US", "--json")
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in json.loads(result.output)}
    wanted = {"mp-independence-magnet": "MP Materials", "usar-stillwater": "USA Rare Earth",
              "noveon-san-marcos": "Noveon", "vulcan-elements-10k": "Vulcan", "evac-sumter": "e-VAC"}
    for facility_id, company in wanted.items():
        row = rows[facility_id]
        assert company.lower() in row["company"].lower()
        assert row["capacity_t_per_yr"] and row["status"]
        assert row["sources"] and all({"title", "url", "date", "evidence"} <= set(s) for s in row["sources"])
    assert all(rows[f]["start_year"] for f in wanted if f != "vulcan-elements-10k")
    assert any(s["evidence"] for f in wanted for s in rows[f]["sources"])


def test_china_2025_export_controls_carry_their_measured_effect(cli):
    result = cli("events", "--kind", "export_control", "--json")
    events = json.loads(result.output)
    april = next(e for e in events if e["date"] == "2025-04-04" and e["actor_country"] == "CN")
    effects = {(e["destination"], e["metric"], e["period"]): e["value"] for e in april["effects"]}
    assert effects[(None, "magnet_exports_change_yoy", "2025-05")] == pytest.approx(-74, abs=0.5)
    assert effects[("US", "magnet_exports_change_yoy", "2025-05")] == pytest.approx(-93, abs=0.5)
    assert effects[("US", "magnet_exports_change_yoy", "2025-06")] == pytest.approx(-38, abs=0.5)
    assert all(e["sources"] for e in april["effects"]) and april["sources"]


def test_listings_print_csv_and_tables(cli):
    csv_out = cli("companies", "--csv").output.splitlines()
    assert csv_out[0].startswith("id,name,country,parent")
    assert "Facilities" in cli("facilities", "--stage", "alloy").output


def test_facility_history_and_company_family(cli):
    history = json.loads(cli("facility", "usar-stillwater", "--json").output)["history"]
    assert len(history) >= 2 and all(r["sources"] for r in history)
    vac = json.loads(cli("company", "VAC", "--json").output)
    assert "evac-sumter" in {f["id"] for f in vac["facilities"]}


def test_errors_are_one_clean_message(cli):
    result = cli("facilities", "--stage", "magnett")  # invalid input
    assert result.exit_code == 2 and "is not one of" in result.output and "Traceback" not in result.output
    result = cli("facility", "evac-sumtr")  # not found
    assert result.exit_code == 3 and "Did you mean: evac-sumter" in result.output
    result = cli("facilities", "--as-of", "yesterday")
    assert result.exit_code == 2 and "YYYY" in result.output


def test_import_dry_run_then_import_then_export(cli, tmp_path):
    path = tmp_path / "facilities.csv"
    path.write_text("id,name,company_id,country,stage,source_id\ncli-plant,CLI plant,mp-materials,US,magnet,usgs_mcs2025\n")
    dry = cli("import", str(path), "--dry-run")
    assert dry.exit_code == 0 and "cli-plant" in dry.output
    assert "cli-plant" not in cli("facilities", "--csv").output
    assert cli("import", str(path)).exit_code == 0
    assert "cli-plant" in cli("facilities", "--csv").output
    assert cli("export", str(tmp_path / "out"), "--format", "json").exit_code == 0
    assert (tmp_path / "out" / "facilities.json").exists()


def test_bad_import_exits_2_and_lists_problems(cli, tmp_path):
    path = tmp_path / "facilities.csv"
    path.write_text("id,name,company_id,country,stage,source_id\nx,X,mp-materials,USA,magnet,usgs_mcs2025\n")
    result = cli("import", str(path))
    assert result.exit_code == 2 and "Use the ISO code 'US'" in result.output


def test_an_unreachable_store_is_one_message_without_its_password():
    from typer.testing import CliRunner

    from magchain.cli.main import app

    result = CliRunner().invoke(app, ["facilities"],
                                env={"MAGCHAIN_DATABASE_URL": "postgresql://bob:s3cret@127.0.0.1:1/x"})
    assert result.exit_code == 6 and "cannot be reached" in result.output
    assert "s3cret" not in result.output and "bob:***@" in result.output and "Traceback" not in result.output
