from django.urls import path

from dhakira.apps.faces import views

app_name = "faces"
urlpatterns = [
    path("<str:uid>/faces/look/", views.look, name="look"),
    path("<str:uid>/faces/add/", views.add, name="add"),
    path("<str:uid>/faces/<int:pk>/", views.decide, name="decide"),
]
