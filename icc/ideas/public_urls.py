"""The public addresses of a city's calls for ideas, under ``/<language>/<programme>/<city>/ideas/``
(in the ``public`` namespace)."""

from django.urls import path

from icc.ideas.views import public

urlpatterns = [
    path("", public.calls_view, name="idea_calls"),
    path("<int:call>/", public.call_view, name="idea_call"),
    path("<int:call>/send/", public.idea_send, name="idea_send"),
    path("<int:call>/<int:idea>/", public.idea_view, name="idea"),
    path("<int:call>/<int:idea>/vote/", public.idea_vote, name="idea_vote"),
    path("<int:call>/<int:idea>/private/<slug:key>/", public.idea_private, name="idea_private"),
]
