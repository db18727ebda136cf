"""Channels: signed in, participants and mentors only, one address per write."""

from django.urls import path

from icc.channels import views

app_name = "channels"
urlpatterns = [
    path("programmes/<slug:slug>/channels/", views.channel_list, name="list"),
    path("programmes/<slug:slug>/channels/direct/<int:person_pk>/", views.direct_open, name="direct"),
    path("channels/<int:pk>/", views.channel_view, name="channel"),
    path("channels/<int:pk>/new/", views.channel_new, name="new"),
    path("channels/<int:pk>/post/", views.post_add, name="post"),
    path("channels/posts/<int:pk>/", views.thread_view, name="thread"),
    path("channels/posts/<int:pk>/new/", views.thread_new, name="thread_new"),
    path("channels/posts/<int:pk>/reply/", views.reply_add, name="reply"),
    path("channels/posts/<int:pk>/edit/", views.post_edit, name="edit"),
    path("channels/posts/<int:pk>/history/", views.post_history, name="history"),
    path("channels/posts/<int:pk>/remove/", views.post_remove, name="remove"),
    path("channels/posts/<int:pk>/pin/", views.post_pin, name="pin"),
    path("channels/posts/<int:pk>/unpin/", views.post_unpin, name="unpin"),
    path("channels/posts/<int:pk>/react/", views.post_react, name="react"),
    path("channels/tag/<int:pk>/", views.tag_channel, name="tag"),
    path("channels/files/<int:pk>/", views.attachment_download, name="download"),
]
