from django.urls import path

from dhakira.apps.linkage import views

app_name = "identity"
urlpatterns = [
    path("", views.queue_page, name="queue"),
    path("pairs/<int:pk>/", views.pair_detail, name="pair"),
    path("pairs/<int:pk>/decide/", views.pair_decide, name="decide"),
    path("pairs/<int:pk>/next/", views.pair_next, name="next"),
    path("pairs/<int:pk>/alike/", views.pair_alike, name="alike"),
    path("pairs/<int:pk>/alike/decide/", views.pair_alike_decide, name="alike_decide"),
    path("links/<int:pk>/split/", views.link_split, name="split"),
]
