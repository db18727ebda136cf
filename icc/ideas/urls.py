"""The city team's pages of calls for ideas: internal, signed in, one address per write."""

from django.urls import path

from icc.ideas.views import manage

app_name = "ideas"
urlpatterns = [
    path("cities/<int:pk>/ideas/", manage.calls_view, name="calls"),
    path("cities/<int:pk>/ideas/add/", manage.call_add, name="call_add"),
    path("idea-calls/<int:pk>/", manage.call_view, name="call"),
    path("idea-calls/<int:pk>/edit/", manage.call_edit, name="call_edit"),
    path("idea-calls/<int:pk>/open/", manage.call_open, name="call_open"),
    path("idea-calls/<int:pk>/close/", manage.call_close, name="call_close"),
    path("idea-calls/<int:pk>/vote/open/", manage.vote_open, name="vote_open"),
    path("idea-calls/<int:pk>/vote/close/", manage.vote_close, name="vote_close"),
    path("ideas/<int:pk>/publish/", manage.idea_publish, name="idea_publish"),
    path("ideas/<int:pk>/shortlist/", manage.idea_shortlist, name="idea_shortlist"),
    path("ideas/<int:pk>/decline/", manage.idea_decline, name="idea_decline"),
    path("ideas/<int:pk>/merge/", manage.idea_merge, name="idea_merge"),
    path("ideas/<int:pk>/action/", manage.idea_link, name="idea_link"),
]
