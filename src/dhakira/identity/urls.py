from django.urls import path

from dhakira.identity import views

app_name = "identity"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("pairs/<int:pk>/", views.pair_detail, name="pair"),
    path("pairs/<int:pk>/decide/", views.pair_decide, name="decide"),
    path("links/<int:pk>/split/", views.link_split, name="split"),
]
