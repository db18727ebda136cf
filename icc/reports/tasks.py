"""Making a report in the background: one job a report, run by the worker one at a time,
so 136 reports asked for at once wait in the queue instead of being made side by side."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def make_report(*, report_id: int) -> dict[str, Any]:
    from icc.reports.actions import make_report as make

    report = make(report_id=report_id)
    return {"report": report_id, "status": report.status if report else "gone"}
