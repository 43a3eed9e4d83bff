"""The benchmark runs at district scale and prints one valid JSON object (timings not asserted)."""

import json
from io import StringIO

from django.core.management import call_command

KEYS = {
    "dashboard_ms_p50",
    "dashboard_ms_p95",
    "dashboard_queries",
    "floor_ms",
    "xlsx_export_s",
    "xlsx_peak_mb",
    "pdf_export_s",
    "import_rows_per_s",
    "approve_ms",
    "nodes",
    "http_login_ms_p50",
    "http_dashboard_ms_p50",
    "http_dashboard_to_login",
}


def test_benchmark_runs_at_district_scale_and_prints_json(transactional_db, settings, tmp_path):
    call_command("load_criteria", stdout=StringIO())
    out = StringIO()
    call_command(
        "benchmark",
        "--scale",
        "district",
        "--json",
        "--requests",
        "3",
        "--import-rows",
        "200",
        "--in-process",
        "--certificates",
        "4",
        stdout=out,
    )
    result = json.loads(out.getvalue())
    assert KEYS <= set(result)
    assert result["communes"] == 8 and result["dashboard_queries"] > 0
    assert result["certificates"] == 4 and result["certificates_per_s"] > 0
    assert set(result["nodes"]) == {"nation", "province", "commune"}
    for node in result["nodes"].values():
        # Served from the cache: fewer queries than computing it.
        assert 0 < node["queries"] < node["uncached_queries"]
    assert result["http_dashboard_to_login"] > 0
