"""The monthly review's flow check: last month's real texts against the flow file on disk."""

from __future__ import annotations

import os

import pytest
from dashboard_session import sign_in
from jobs_support import settle

from ivr.config.settings import PROJECT_ROOT

HVAC_FLOW = (PROJECT_ROOT / "flows" / "hvac.yaml").read_text(encoding="utf-8")


@pytest.fixture
def settings(settings, tmp_path):
    """Polar Bear alone, running a flow file of its own that the test can edit."""
    config = tmp_path / "config"
    config.mkdir()
    flow = tmp_path / "hvac.yaml"
    flow.write_text(HVAC_FLOW, encoding="utf-8")
    business = (PROJECT_ROOT / "examples" / "polar_bear_hvac.yaml").read_text(encoding="utf-8")
    (config / "polar_bear_hvac.yaml").write_text(
        business.replace("flow: flows/hvac.yaml", f"flow: {flow}"), encoding="utf-8")
    return settings.with_(config_path=config)


def test_a_flow_edit_that_stops_a_gas_smell_text_reaching_a_person_shows_in_the_monthly_review(
        live_app, carrier, client, runtime, tmp_path):
    carrier.phone("+15125557101").text("+15125550200", "I smell gas in the kitchen",
                                       settle_s=0.05)
    carrier.phone("+15125557102").text("+15125550200", "what are your hours", settle_s=0.05)
    settle(runtime)
    sign_in(client)
    page = client.get("/dashboard/flow-check").get_data(as_text=True)
    assert "2 text conversations replayed" in page and "No conversation would be" in page

    # (the life-safety trigger and the needs-a-person net, which would still hear it, deleted)
    start, end = HVAC_FLOW.index("  # Life safety: gas"), HVAC_FLOW.index("  # Urgent without")
    edited = (HVAC_FLOW[:start] + HVAC_FLOW[end:]).replace(
        "phrases: [hours, what time,", "phrases: [smell gas, hours, what time,")
    edited = edited[:edited.index("\nneeds_a_person:")] + "\n"
    flow = tmp_path / "hvac.yaml"
    flow.write_text(edited, encoding="utf-8")
    stat = flow.stat()

    os.utime(flow, (stat.st_atime, stat.st_mtime + 5))
    page = client.get("/dashboard/flow-check").get_data(as_text=True)
    assert "<strong>1</strong> would be treated differently" in page
    assert "I smell gas in the kitchen" in page and "hours / bot_only" in page
    assert "<script" not in page.split("</main>")[0].split("<main")[-1]
