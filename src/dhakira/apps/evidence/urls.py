from django.urls import path

from dhakira.apps.evidence import views

app_name = "evidence"
urlpatterns = [
    path("", views.item_list, name="item_list"),
    path("upload/", views.upload, name="upload"),
    path("search/", views.search_page, name="search"),
    path("<str:uid>/", views.item_detail, name="item_detail"),
    path("<str:uid>/reveal/", views.reveal, name="reveal"),
    path("<str:uid>/translate/", views.translate, name="translate"),
    path("<str:uid>/page/<int:page>/", views.picture, name="picture"),
    path("<str:uid>/original/", views.original, name="original"),
]
