"""The pages of strategies, roadmaps, KPIs and cycle plans, by sub-domain.

Each page renders (``@require_safe``); each write has its own small view (``@require_POST``:
access → form → action → redirect, or the page again with the invalid form). The plain
edit pages (a new or existing opportunity, action, KPI or solution) keep the Django
style of one URL for the form and its POST.
"""
