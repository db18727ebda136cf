"""The assessments pages, one module per sub-domain; each write has its own small view.

``responses``: a city's assessments and its answers to an instrument; ``surveys``: the
local-enablers survey and its public answer page; ``values``: indicator values and the
Excel workbook; ``comparisons``: the scan's result, baseline against re-run, and peers;
``instruments``: the programme team's instruments.
"""

from icc.assessments.views.comparisons import compare_view, peer_population, peers_view, result_view
from icc.assessments.views.instruments import instruments_view, question_edit
from icc.assessments.views.responses import city_assessments, response_reopen, response_save, response_view
from icc.assessments.views.surveys import (
    survey_answer,
    survey_close,
    survey_invite,
    survey_manage,
    survey_open,
    survey_share,
)
from icc.assessments.views.values import (
    indicators_reopen,
    indicators_save,
    indicators_view,
    workbook_confirm,
    workbook_upload,
    workbook_view,
)

__all__ = [
    "city_assessments",
    "compare_view",
    "indicators_reopen",
    "indicators_save",
    "indicators_view",
    "instruments_view",
    "peer_population",
    "peers_view",
    "question_edit",
    "response_reopen",
    "response_save",
    "response_view",
    "result_view",
    "survey_answer",
    "survey_close",
    "survey_invite",
    "survey_manage",
    "survey_open",
    "survey_share",
    "workbook_confirm",
    "workbook_upload",
    "workbook_view",
]
